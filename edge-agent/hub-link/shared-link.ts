import type { Logger } from '../../api/logger.js';
// The link's side of shared state (shared-sync.ts holds it): which shared topics to subscribe on
// each connection, following the node's segment, and telling the end of the retained burst a
// new subscription brings. A session the broker kept has the shared subscriptions when this
// process made them (not those of an agent before an upgrade) for the current segment, and the
// broker queued what changed meanwhile; otherwise everything is subscribed again and what the
// retained burst does not repeat was deleted meanwhile. The segment's pod routes are asked for
// (`askRoutes`) on every connection and once a new segment's subscription is granted: the hub
// answers only when its set differs from the one held.
import { agentSubscriptions, segmentSubscription } from '../../api/mqtt/agent-session.js';
import type { RoutesResync } from '../../api/mqtt/payloads/pod-routes.js';
import { topicPrefix } from '../../api/mqtt/topics.js';
import { NotConnectedError } from './mqtt-session.js';
import type { SharedSync } from './shared-sync.js';

type Subscription = { filter: string; qos: 0 | 1 };

export interface SharedLinkSession {
  readonly connected: boolean;
  subscribe(subscriptions: Subscription[]): Promise<void>;
  unsubscribe(filters: string[]): Promise<void>;
}

const isShared = (filter: string) => filter.startsWith(`${topicPrefix}/shared/`);

/** A new subscription's retained burst counts as over after this long without a shared message. */
const refillQuietMs = 1_000;

export class SharedLink {
  private subscribedSegment: string | undefined;
  /** The segment the subscriptions of the current connection name. */
  private requestedSegment: string | undefined;
  private subscribed = false;
  private refillTimer: NodeJS.Timeout | undefined;
  private following: Promise<void> = Promise.resolve();

  constructor(
    private readonly node: string,
    private readonly session: SharedLinkSession,
    private readonly shared: { sync: SharedSync; changed: () => void } | undefined,
    private readonly ask: (request: RoutesResync) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Every subscription for a new connection: the node's own topics and the shared ones it lacks. */
  subscriptions(sessionPresent: boolean): Subscription[] {
    const all = agentSubscriptions(this.node);
    const own = all.filter((s) => !isShared(s.filter));
    if (!this.shared) return own;
    const segment = this.shared.sync.segment;
    if (sessionPresent && this.subscribed && this.subscribedSegment === segment) return own;
    this.subscribed = false;
    this.requestedSegment = segment;
    this.shared.sync.beginRefill();
    return segment === undefined ? all : [...all, segmentSubscription(segment)];
  }

  /** `subscriptions` were granted. */
  granted(subscriptions: Subscription[]): void {
    if (!subscriptions.some((s) => isShared(s.filter))) return;
    this.subscribed = true;
    this.subscribedSegment = this.requestedSegment;
    this.refillQuiet();
    // The own state may have named another segment meanwhile.
    void this.followSegment();
  }

  /**
   * The node's segment changed: read the routes of the new one only (the next CONNACK, offline).
   * One at a time: the own state and a SUBACK may both ask for it.
   */
  followSegment(): Promise<void> {
    this.following = this.following.then(() => this.follow());
    return this.following;
  }

  private async follow(): Promise<void> {
    const segment = this.shared?.sync.segment;
    const old = this.subscribedSegment;
    if (segment === old || !this.session.connected) return;
    try {
      if (old !== undefined) await this.session.unsubscribe([segmentSubscription(old).filter]);
      this.subscribedSegment = undefined;
      if (segment !== undefined) await this.session.subscribe([segmentSubscription(segment)]);
      this.subscribedSegment = segment;
      await this.askRoutes();
    } catch (err) {
      if (!(err instanceof NotConnectedError))
        this.log.warn(`pod routes of segment ${segment}: ${(err as Error).message}`);
    }
  }

  /**
   * Asks for the current segment's routes (answered only when what is held is not the hub's
   * set) — once its subscription is in place, so no change can fall between the set and the
   * changes after it. Before that, following the segment asks.
   */
  async askRoutes(): Promise<void> {
    const request = this.shared?.sync.routesRequest();
    if (request && this.session.connected && request.segment === this.subscribedSegment)
      await this.ask(request);
  }

  /** A message on a shared topic, or the segment's route set. */
  receive(topic: string, payload: Buffer): void {
    if (!this.shared) return;
    if (this.refillTimer) this.refillQuiet();
    if (this.shared.sync.receive(topic, payload) === 'changed') this.shared.changed();
  }

  stop(): void {
    clearTimeout(this.refillTimer);
  }

  private refillQuiet(): void {
    clearTimeout(this.refillTimer);
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      if (this.shared?.sync.endRefill()) this.shared.changed();
    }, refillQuietMs);
  }
}
