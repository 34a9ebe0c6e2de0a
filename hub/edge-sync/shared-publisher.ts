// Shared state out: what many gateways need is published once per change on its own topic, not
// copied into every gateway's desired state. Each Service and EndpointSlice has a retained topic
// (`shared/services/{namespace}/{name}`): a subscriber gets the current set from the broker's
// retained store and later changes as they come; a deletion is an empty retained message.
// Secrets never go here: they travel only in their gateway's own desired state.
//
// Each gateway's pod route changes on a topic of its segment (`shared/segments/{segment}/routes/
// {node}`), not retained: a gateway without a session would otherwise get its whole segment as
// one retained message per gateway at every reconnect (half a million messages when 10,000
// gateways in sites of 50 return to a restarted hub). Instead a gateway asks for its segment's
// set with the digest of what it holds (`routesResync`) and gets the set in one message only
// when it differs (`answerRoutes`).
//
// Work per change is O(1) publishes: a Node change republishes at most its own route (and clears
// the old one when it moved segment); the broker fans it out to that segment's gateways only.
import { createHash } from 'node:crypto';
import type { Logger } from '../../api/logger.js';
import { encodePayload } from '../../api/mqtt/codec.js';
import {
  type PodRoute,
  podRoutesDigest,
  type RouteSet,
  type RoutesResync,
} from '../../api/mqtt/payloads/pod-routes.js';
import { buildTopic, type Route, routes } from '../../api/mqtt/route-table.js';
import type { KubeObject } from '../../api/types.js';
import { trimForAgent } from './agent-forms.js';
import { podRouteOf, trimService } from './desired-state.js';
import type { PublishFn } from './publish.js';
import { segmentOf } from './segments.js';
import type { Informers } from './watched-kinds.js';

type ObjectRoute = typeof routes.service | typeof routes.endpointSlice;

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64');
}

export class SharedStatePublisher {
  /** Topic → hash of what was last published there (without resourceVersion). */
  private readonly sent = new Map<string, string>();
  /** Node → its segment (nodes without a pod route too: they read their segment's routes). */
  private readonly nodeSegments = new Map<string, string>();
  /** Segment → node → its pod route, the sets `answerRoutes` gives. */
  private readonly segmentRoutes = new Map<string, Map<string, PodRoute>>();
  private stopped = false;

  constructor(
    kinds: Pick<Informers, 'services' | 'endpointSlices' | 'nodes'>,
    private readonly publish: PublishFn,
    private readonly log: Logger,
  ) {
    for (const [informer, route, trim] of [
      [kinds.services, routes.service, trimService],
      [kinds.endpointSlices, routes.endpointSlice, trimForAgent],
    ] as const) {
      informer.addHandler({
        add: (obj) => this.object(route, obj, trim),
        update: (obj) => this.object(route, obj, trim),
        delete: (obj) => this.clear(this.objectTopic(route, obj)),
      });
    }
    kinds.nodes.addHandler({
      add: (node) => this.route(node),
      update: (node) => this.route(node),
      delete: (node) => this.removeRoute(node.metadata.name ?? ''),
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private objectTopic(route: ObjectRoute, obj: KubeObject): string | undefined {
    try {
      return buildTopic(route, { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' });
    } catch (err) {
      this.log.warn(`${route.name} not shared: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Published only when what an agent sees changed: a status write alone sends nothing. */
  private object(route: ObjectRoute, obj: KubeObject, trim: (obj: KubeObject) => KubeObject): void {
    const topic = this.objectTopic(route, obj);
    if (!topic) return;
    const trimmed = trim(obj);
    const hash = hashOf(trimmed);
    if (this.sent.get(topic) === hash) return;
    const payload = {
      ...trimmed,
      metadata: { ...trimmed.metadata, resourceVersion: obj.metadata.resourceVersion ?? '0' },
    };
    this.send(route, topic, payload, hash);
  }

  /**
   * A gateway asked for its segment's routes: send the set unless what it holds is the set.
   * A request for a segment the node is no longer in is left alone: its own desired state names
   * the new segment, and it asks again once it follows it.
   */
  answerRoutes(node: string, request: RoutesResync): void {
    if (this.nodeSegments.get(node) !== request.segment) return;
    const held = this.segmentRoutes.get(request.segment);
    const others = [...(held?.values() ?? [])].filter((route) => route.node !== node);
    const digest = podRoutesDigest(others);
    if (digest === request.digest) return;
    const set: RouteSet = { segment: request.segment, digest, routes: others };
    this.send(routes.routeSet, buildTopic(routes.routeSet, { node }), set, undefined);
  }

  private route(nodeObj: KubeObject): void {
    const node = nodeObj.metadata.name ?? '';
    const segment = segmentOf(nodeObj);
    const podRoute = segment ? podRouteOf(nodeObj) : undefined;
    const previous = this.nodeSegments.get(node);
    const held = previous === undefined ? undefined : this.segmentRoutes.get(previous)?.get(node);
    if (previous !== undefined && (previous !== segment || !podRoute)) this.removeRoute(node);
    if (segment === undefined) return;
    this.nodeSegments.set(node, segment);
    if (!podRoute) return;
    const members = this.segmentRoutes.get(segment) ?? new Map<string, PodRoute>();
    this.segmentRoutes.set(segment, members);
    members.set(node, podRoute);
    if (held && previous === segment && sameRoute(held, podRoute)) return;
    this.send(routes.podRoute, buildTopic(routes.podRoute, { segment, node }), podRoute, undefined);
  }

  /** The node left its segment (or has no route now): its peers drop its route. */
  private removeRoute(node: string): void {
    const segment = this.nodeSegments.get(node);
    this.nodeSegments.delete(node);
    if (segment === undefined) return;
    const members = this.segmentRoutes.get(segment);
    if (!members?.delete(node)) return;
    if (members.size === 0) this.segmentRoutes.delete(segment);
    if (this.stopped) return;
    this.publish(buildTopic(routes.podRoute, { segment, node }), Buffer.alloc(0), {
      qos: routes.podRoute.qos,
      retain: routes.podRoute.retain,
    });
  }

  /** `hash` (retained objects): what was last published there, to publish only what changed. */
  private send(route: Route, topic: string, value: unknown, hash: string | undefined): void {
    if (this.stopped) return;
    const payload = encodePayload(value);
    if (payload.byteLength > route.maxBytes) {
      this.log.warn(
        `${topic} is ${payload.byteLength} bytes, over the ${route.maxBytes} limit; not published`,
      );
      return;
    }
    this.publish(topic, payload, { qos: route.qos, retain: route.retain });
    if (hash !== undefined) this.sent.set(topic, hash);
  }

  private clear(topic: string | undefined): void {
    if (this.stopped || !topic || !this.sent.delete(topic)) return;
    this.publish(topic, Buffer.alloc(0), { qos: 1, retain: true });
  }
}

function sameRoute(a: PodRoute, b: PodRoute): boolean {
  return a.podCIDR === b.podCIDR && a.via === b.via;
}
