import type { Logger } from '../../api/logger.js';
// Shared state in: Services and EndpointSlices (for the service proxy and DNS), each on its own
// retained topic, and the pod routes of the gateways in this node's segment. Per-object and
// idempotent: a message replaces what is held for its topic unless it carries an older
// resourceVersion (a late copy), an empty message deletes, a duplicate changes nothing. After a
// connection whose session the broker had lost, deletions made meanwhile never arrive (a deleted
// object has no retained message), so the retained burst that follows the subscription is the
// whole set: `beginRefill` marks what is held, `endRefill` drops what the burst did not repeat.
// Pod routes are not retained: their changes come one route at a time, and the whole set of the
// segment when the hub's differs from the digest this side asked with (`routesRequest`).
import { decodePayload } from '../../api/mqtt/codec.js';
import type { AgentDesired } from '../../api/mqtt/payloads/desired-state.js';
import { type PodRoute, podRoutesDigest, type RoutesResync } from '../../api/mqtt/payloads/pod-routes.js';
import { parseTopic, type Route, routes } from '../../api/mqtt/route-table.js';
import type { KubeObject } from '../../api/types.js';

export type SharedView = Pick<AgentDesired, 'services' | 'endpointSlices' | 'podRoutes'>;

type Outcome = 'changed' | 'unchanged' | 'invalid' | 'ignored';

function rvOf(obj: KubeObject): number {
  const rv = Number(obj.metadata.resourceVersion);
  return Number.isFinite(rv) ? rv : 0;
}

function byName<T>(map: Map<string, T>): T[] {
  return [...map.keys()].sort().map((key) => map.get(key) as T);
}

export class SharedSync {
  private readonly services = new Map<string, KubeObject>();
  private readonly endpointSlices = new Map<string, KubeObject>();
  private readonly routes = new Map<string, PodRoute>();
  private segmentName: string | undefined;
  private unconfirmed: Set<string> | undefined;

  /**
   * `node`: this gateway (its own route is no route for it). `loaded`: what local state kept
   * (the last applied view), so a reboot offline keeps it.
   */
  constructor(
    private readonly node: string,
    loaded: (Partial<SharedView> & { segment?: string | undefined }) | undefined,
    private readonly log: Logger,
  ) {
    for (const obj of loaded?.services ?? []) this.services.set(keyOf(obj), obj);
    for (const obj of loaded?.endpointSlices ?? []) this.endpointSlices.set(keyOf(obj), obj);
    for (const route of loaded?.podRoutes ?? []) if (route.node !== node) this.routes.set(route.node, route);
    this.segmentName = loaded?.segment;
  }

  get segment(): string | undefined {
    return this.segmentName;
  }

  /** The node's segment changed: the routes of the old one no longer apply. True when it changed. */
  setSegment(segment: string | undefined): boolean {
    if (segment === this.segmentName) return false;
    this.segmentName = segment;
    this.routes.clear();
    return true;
  }

  view(): SharedView {
    const podRoutes = byName(this.routes);
    return {
      services: byName(this.services),
      endpointSlices: byName(this.endpointSlices),
      ...(podRoutes.length > 0 ? { podRoutes } : {}),
    };
  }

  /** What to ask the hub for this segment's routes with; undefined without a segment. */
  routesRequest(): RoutesResync | undefined {
    if (this.segmentName === undefined) return undefined;
    return { segment: this.segmentName, digest: podRoutesDigest(this.routes.values()) };
  }

  /** Every Service and slice held is to be confirmed by the retained copies a new subscription brings. */
  beginRefill(): void {
    this.unconfirmed = new Set([
      ...[...this.services.keys()].map((k) => `s/${k}`),
      ...[...this.endpointSlices.keys()].map((k) => `e/${k}`),
    ]);
  }

  /** Drops what the retained burst did not repeat (deleted meanwhile). True when something went. */
  endRefill(): boolean {
    const gone = this.unconfirmed ?? new Set<string>();
    this.unconfirmed = undefined;
    for (const entry of gone) {
      const [kind, key] = [entry.slice(0, 1), entry.slice(2)];
      (kind === 's' ? this.services : this.endpointSlices).delete(key);
    }
    return gone.size > 0;
  }

  receive(topic: string, payload: Buffer): Outcome {
    const parsed = parseTopic(topic);
    if (!parsed) return 'ignored';
    const { route, params } = parsed;
    if (route === routes.podRoute) {
      // A late message of the segment this node left, or this node's own route.
      if (params.segment !== this.segmentName || params.node === this.node) return 'ignored';
      return this.apply(this.routes, `r/${params.node}`, params.node ?? '', route, payload, () => true);
    }
    if (route === routes.routeSet) return params.node === this.node ? this.replaceRoutes(payload) : 'ignored';
    const map =
      route === routes.service
        ? this.services
        : route === routes.endpointSlice
          ? this.endpointSlices
          : undefined;
    if (!map) return 'ignored';
    const key = `${params.namespace}/${params.name}`;
    const mark = `${route === routes.service ? 's' : 'e'}/${key}`;
    return this.apply(
      map,
      mark,
      key,
      route,
      payload,
      (next: KubeObject, held: KubeObject) => rvOf(next) >= rvOf(held),
    );
  }

  /** The segment's whole set: it replaces the routes held (unless it is of a segment left since). */
  private replaceRoutes(payload: Buffer): Outcome {
    const decoded = decodePayload(routes.routeSet, payload);
    if (!decoded.ok) {
      this.log.warn(`pod routes refused: ${decoded.error}`);
      return 'invalid';
    }
    const set = decoded.value;
    if (set.segment !== this.segmentName) return 'ignored';
    const before = podRoutesDigest(this.routes.values());
    this.routes.clear();
    for (const route of set.routes) if (route.node !== this.node) this.routes.set(route.node, route);
    return podRoutesDigest(this.routes.values()) === before ? 'unchanged' : 'changed';
  }

  private apply<T>(
    map: Map<string, T>,
    mark: string,
    key: string,
    route: Route,
    payload: Buffer,
    newer: (next: T, held: T) => boolean,
  ): Outcome {
    this.unconfirmed?.delete(mark);
    if (payload.byteLength === 0) return map.delete(key) ? 'changed' : 'unchanged';
    const decoded = decodePayload(route, payload);
    if (!decoded.ok) {
      this.log.warn(`${route.name} ${key} refused: ${decoded.error}`);
      return 'invalid';
    }
    const next = decoded.value as T;
    const held = map.get(key);
    if (held !== undefined && (!newer(next, held) || JSON.stringify(held) === JSON.stringify(next)))
      return 'unchanged';
    map.set(key, next);
    return 'changed';
  }
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
