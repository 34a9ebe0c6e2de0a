// The agent's side of the MQTT protocol (firmware-notes/protocol.md). After every CONNACK, in
// this order: presence online, the token replies subscribed, register, subscribe (the shared topics only when the broker lost
// the session: a kept session has them, and queued what changed meanwhile), resync, the
// segment's routes asked for by digest, node status, the outbox. Then a tiny heartbeat every
// 10 s (QoS 0) and the node status on change or every few minutes. Messages from the hub go to
// desired-state sync or the request handler; cancel requests end the matching request in
// `requests`; refusals of what the agent sent are logged.
import type { IClientOptions } from 'mqtt';
import type { Logger } from '../../api/logger.js';
import { agentConnectFields, tokenReplySubscription } from '../../api/mqtt/agent-session.js';
import { decodePayload, encodePayload } from '../../api/mqtt/codec.js';
import type { Presence } from '../../api/mqtt/payloads/presence.js';
import { buildTopic, parseTopic, type Route, routes } from '../../api/mqtt/route-table.js';
import { statusSignature } from '../node-status/node-status-report.js';
import type { NodeReports } from '../node-status/node-status-source.js';
import { agentVersion } from '../node-status/versions.js';
import { ActiveRequests } from './active-requests.js';
import type { DesiredSync } from './desired-sync.js';
import { ExecInputs } from './exec-inputs.js';
import { MqttSession, NotConnectedError } from './mqtt-session.js';
import type { Outbox } from './outbox.js';
import { OutboxSender } from './outbox-sender.js';
import { type BackoffOptions, defaultReconnectBackoff } from './reconnect-backoff.js';
import { type HubRequest, handleRequest, type RequestDeps } from './request-handler.js';
import { SharedLink } from './shared-link.js';
import type { SharedSync } from './shared-sync.js';
import { TokenRequests } from './token-requests.js';

/** After a change the node status depends on: when to look again (it only goes out if it changed). */
const statusRecheckDelaysMs = [1_000, 3_000];
/** The routes handleRequest answers. */
const requestRoutes = new Set<string>([
  'logsRequest',
  'execRequest',
  'attachRequest',
  'portForwardRequest',
  'metricsRequest',
] satisfies Array<HubRequest['route']>);

export interface HubLinkTiming {
  heartbeatMs: number;
  /** How often node status is collected and compared with what was sent. */
  statusCheckMs: number;
  /** Sent even when unchanged after this long. */
  statusMaxAgeMs: number;
  reconnect: BackoffOptions;
  keepaliveSeconds: number;
}

export const defaultHubLinkTiming: HubLinkTiming = {
  heartbeatMs: 10_000,
  statusCheckMs: 30_000,
  statusMaxAgeMs: 5 * 60_000,
  reconnect: defaultReconnectBackoff,
  keepaliveSeconds: 30,
};

export interface HubLinkOptions {
  url: string;
  /** Called at each MQTT session established (the agent's metrics count reconnects). */
  onConnected?: (() => void) | undefined;
  /** TLS options for each connection attempt (hub-trust.ts); rejects while the hub is not trusted yet. */
  tls?: () => Promise<Partial<IClientOptions>>;
  /** Bootstrap token for the first join; none once the node key is bound (api/mqtt/credentials.ts). */
  token?: string | undefined;
  nodeName: string;
  nodeKey: string;
  node: NodeReports;
  desired: DesiredSync;
  /** Services, EndpointSlices and the segment's pod routes; `changed` after each change. */
  shared?: { sync: SharedSync; changed: () => void };
  outbox: Outbox;
  /** Entries left the outbox (local state follows). */
  onDelivered: () => void;
  logs: RequestDeps['logs'];
  /** Exec through the container runtime; the link adds the stdin routing. */
  exec?: Omit<NonNullable<RequestDeps['exec']>, 'inputs'> | undefined;
  metrics?: RequestDeps['metrics'];
  /** The API relay (edge-agent/api-relay): its replies and certificates, and the link going up and down. */
  apiRelay?: { receive(topic: string, payload: Buffer): void; up(): void; down(): void } | undefined;
  /** Told when the link is lost and when the hub is heard again (a desired state on a live connection). */
  contact?: { lost(): void; heard(): void };
  timing?: Partial<HubLinkTiming>;
  log: Logger;
}

export class HubLink {
  readonly session: MqttSession;
  /** Requests still being answered (logs -f), ended by a cancel request or stop(). */
  readonly requests = new ActiveRequests();
  /** Input of the execs in progress (`stdin/{id}`). */
  readonly execInputs = new ExecInputs();
  /** The pods' ServiceAccount token requests awaiting the hub's answer. */
  readonly tokens = new TokenRequests(async (request) => {
    // The reply comes on a topic this connection must have subscribed to first.
    await this.whenSubscribed();
    await this.send(routes.tokenRequest, request);
  });
  /** The connection whose subscriptions are in place, and who waits for that. */
  private subscribedConnection = 0;
  private subscribedWaiters: Array<() => void> = [];
  private readonly timing: HubLinkTiming;
  private readonly sender: OutboxSender;
  private readonly timers: NodeJS.Timeout[] = [];
  private beats = 0;
  private connection = 0;
  private lastStatus: { signature: string; at: number } | undefined;
  private stopping = false;
  private readonly shared: SharedLink;

  constructor(private readonly options: HubLinkOptions) {
    this.timing = { ...defaultHubLinkTiming, ...options.timing };
    this.session = new MqttSession({
      url: options.url,
      fields: agentConnectFields(options.nodeName, options.token, options.nodeKey),
      keepaliveSeconds: this.timing.keepaliveSeconds,
      reconnect: this.timing.reconnect,
      log: options.log,
      ...(options.tls ? { prepare: options.tls } : {}),
      onConnect: (sessionPresent) => void this.onConnect(sessionPresent),
      onMessage: (topic, payload) => this.onMessage(topic, payload),
      // A clean stop is no outage: the next start must not count the agent's own downtime.
      onClose: () => {
        options.apiRelay?.down();
        if (!this.stopping) options.contact?.lost();
      },
    });
    this.shared = new SharedLink(
      options.nodeName,
      this.session,
      options.shared,
      (request) => this.send(routes.routesResync, request),
      options.log,
    );
    this.sender = new OutboxSender(
      options.outbox,
      this.session,
      options.nodeName,
      options.onDelivered,
      options.log,
    );
  }

  get connected(): boolean {
    return this.session.connected;
  }

  start(): void {
    this.session.start();
    this.timers.push(setInterval(() => this.heartbeat(), this.timing.heartbeatMs));
    this.timers.push(setInterval(() => void this.sendStatus(false), this.timing.statusCheckMs));
  }

  /** Something was queued in the outbox. */
  queued(): void {
    this.sender.kick();
  }

  /**
   * Something the node status reads is changing now (the pod network was just configured, and
   * the runtime reloads its CNI config within about a second): check again shortly instead of at
   * the next 30 s check, which would keep pods off this node that long (NetworkUnavailable).
   */
  statusMayChangeSoon(): void {
    if (this.stopping) return;
    for (const delayMs of statusRecheckDelaysMs) {
      const timer = setTimeout(() => {
        this.timers.splice(this.timers.indexOf(timer), 1);
        void this.sendStatus(false);
      }, delayMs);
      this.timers.push(timer);
    }
  }

  /** Presence offline, then a clean DISCONNECT (which sends no Will [MQTT-3.1.2-10]). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.shared.stop();
    this.sender.stop();
    this.requests.cancelAll();
    this.tokens.cancelAll();
    const offline: Presence = { state: 'offline', since: Date.now(), agentVersion };
    await this.session.stop({ topic: this.topic(routes.presence), payload: encodePayload(offline) });
  }

  /** Publishes a payload on one of this node's routes (QoS and retain from the route). */
  send<T>(route: Route<T, 'node'>, payload: T): Promise<void> {
    return this.session.publish(this.topic(route), encodePayload(payload), {
      qos: route.qos,
      retain: route.retain,
    });
  }

  private topic(route: Route<unknown, 'node'>): string {
    return buildTopic(route, { node: this.options.nodeName });
  }

  /** The node's segment (from its desired state) changed: follow its pod routes. */
  followSegment(): Promise<void> {
    return this.shared.followSegment();
  }

  private async onConnect(sessionPresent: boolean): Promise<void> {
    const { options } = this;
    const connection = ++this.connection;
    options.onConnected?.();
    // A sequence overtaken by a newer connection stops; the newer one does it all again.
    const current = () => {
      if (connection !== this.connection) throw new NotConnectedError('superseded by a newer connection');
    };
    try {
      await this.send(routes.presence, { state: 'online', since: Date.now(), agentVersion });
      // Token replies first: a pod waiting for its token need not wait for the node's facts
      // (gathering them takes seconds on a busy gateway); the full set below includes it again.
      await this.session.subscribe([tokenReplySubscription(options.nodeName)]);
      current();
      this.subscribedConnection = connection;
      for (const wake of this.subscribedWaiters.splice(0)) wake();
      const registration = await options.node.registration();
      current();
      const checked = routes.register.validate(registration);
      if (!checked.ok) options.log.warn(`registration is invalid, the hub will drop it: ${checked.error}`);
      await this.send(routes.register, registration);
      const subscriptions = this.shared.subscriptions(sessionPresent);
      await this.session.subscribe(subscriptions);
      this.shared.granted(subscriptions);
      options.apiRelay?.up();
      // Always: deltas may have been lost with the connection (the hub answers a current agent
      // with an empty delta).
      await this.send(routes.resync, options.desired.resyncRequest());
      await this.shared.askRoutes();
      await this.sendStatus(true);
      current();
      await this.sender.drain();
    } catch (err) {
      if (!(err instanceof NotConnectedError)) options.log.warn(`after connect: ${(err as Error).message}`);
    }
  }

  /** Resolves once this connection has subscribed; throws at once without a connection. */
  private whenSubscribed(): Promise<void> {
    if (!this.session.connected) return Promise.reject(new NotConnectedError('not connected to the hub'));
    if (this.subscribedConnection === this.connection) return Promise.resolve();
    return new Promise((resolve) => this.subscribedWaiters.push(resolve));
  }

  private heartbeat(): void {
    if (!this.session.connected) return;
    this.send(routes.heartbeat, { t: Date.now(), s: this.beats++ }).catch(() => {});
  }

  private async sendStatus(force: boolean): Promise<void> {
    if (!this.session.connected) return;
    try {
      const report = await this.options.node.status();
      const signature = statusSignature(report);
      const last = this.lastStatus;
      const due =
        !last || last.signature !== signature || report.observedAt - last.at >= this.timing.statusMaxAgeMs;
      if (!force && !due) return;
      await this.send(routes.nodeStatus, report);
      this.lastStatus = { signature, at: report.observedAt };
    } catch (err) {
      if (!(err instanceof NotConnectedError))
        this.options.log.warn(`node status: ${(err as Error).message}`);
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (parsed?.route.direction === 'hub-to-fleet' || parsed?.route === routes.routeSet) {
      this.shared.receive(topic, payload);
      return;
    }
    if (!parsed || parsed.params.node !== this.options.nodeName) return;
    const name = parsed.route.name;
    if (name === 'desired' || name === 'desiredDelta') {
      const kind = name === 'desired' ? 'snapshot' : 'delta';
      void this.options.desired.receive(payload, kind).then((outcome) => {
        // Applied, or the hub confirmed the revision held: the agent now holds what the hub wants.
        if ((outcome === 'applied' || outcome === 'current') && this.session.connected)
          this.options.contact?.heard();
      });
      return;
    }
    if (name === 'apiReply' || name === 'servingCert') {
      this.options.apiRelay?.receive(topic, payload);
      return;
    }
    if (name === 'cancelRequest') {
      const decoded = decodePayload(routes.cancelRequest, payload);
      if (decoded.ok) this.requests.cancel(decoded.value.id);
      else this.options.log.warn(`cancelRequest refused: ${decoded.error}`);
      return;
    }
    if (name === 'refused') {
      // Nothing to resend: the rest of the message was applied; the reason is for the operator.
      const decoded = decodePayload(routes.refused, payload);
      if (!decoded.ok) return;
      const { route, refused, omitted } = decoded.value;
      for (const item of refused) {
        const what = item.index === undefined ? route : `${route} item ${item.index}`;
        this.options.log.warn(`hub refused ${what}: ${item.reason}`);
      }
      if (omitted) this.options.log.warn(`hub refused ${omitted} more items of ${route}`);
      return;
    }
    if (name === 'tokenReply') {
      const decoded = decodePayload(routes.tokenReply, payload);
      if (decoded.ok) this.tokens.receive(decoded.value);
      else this.options.log.warn(`tokenReply refused: ${decoded.error}`);
      return;
    }
    if (name === 'stdin') {
      const decoded = decodePayload(routes.stdin, payload);
      if (decoded.ok) this.execInputs.receive(decoded.value);
      else this.options.log.warn(`stdin refused: ${decoded.error}`);
      return;
    }
    if (!requestRoutes.has(name)) return;
    const decoded = decodePayload(parsed.route, payload);
    if (!decoded.ok) {
      this.options.log.warn(`${name} refused: ${decoded.error}`);
      return;
    }
    const deps: RequestDeps = {
      nodeName: this.options.nodeName,
      logs: this.options.logs,
      reply: (replyTopic, chunk) =>
        this.session.publish(replyTopic, encodePayload(chunk), { qos: routes.reply.qos }),
      log: this.options.log,
      active: this.requests,
      exec: this.options.exec && { ...this.options.exec, inputs: this.execInputs },
      metrics: this.options.metrics,
    };
    handleRequest(deps, { route: name, request: decoded.value } as HubRequest).catch((err: Error) => {
      if (!(err instanceof NotConnectedError)) this.options.log.info(`${name}: ${err.message}`);
    });
  }
}
