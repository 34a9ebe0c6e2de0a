// Shared state out: what many gateways need is published once per change on its own retained
// topic, not copied into every gateway's desired state. Each Service and EndpointSlice has a
// topic (`shared/services/{namespace}/{name}`); each gateway's pod route one in its segment
// (`shared/segments/{segment}/routes/{node}`). A subscriber gets the current set from the
// broker's retained store and later changes as they come; a deletion is an empty retained
// message. Secrets never go here: they travel only in their gateway's own desired state.
//
// Work per change is O(1) publishes: a Node change republishes at most its own route (and clears
// the old one when it moved segment); the broker fans it out to that segment's gateways only.
import { createHash } from 'node:crypto';
import { encodePayload } from '../../api/mqtt/codec.js';
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
  /** Node → the topic of its pod route, to clear it when the node leaves its segment. */
  private readonly routeTopics = new Map<string, string>();
  private stopped = false;

  constructor(
    kinds: Pick<Informers, 'services' | 'endpointSlices' | 'nodes'>,
    private readonly publish: PublishFn,
    private readonly log: (line: string) => void,
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

  /** Topics currently holding a retained message from this hub (tests, measurements). */
  publishedTopics(): string[] {
    return [...this.sent.keys()];
  }

  private objectTopic(route: ObjectRoute, obj: KubeObject): string | undefined {
    try {
      return buildTopic(route, { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' });
    } catch (err) {
      this.log(`edge-sync: ${route.name} not shared: ${(err as Error).message}`);
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

  private route(nodeObj: KubeObject): void {
    const node = nodeObj.metadata.name ?? '';
    const segment = segmentOf(nodeObj);
    const podRoute = podRouteOf(nodeObj);
    const topic = segment && podRoute ? buildTopic(routes.podRoute, { segment, node }) : undefined;
    const previous = this.routeTopics.get(node);
    if (previous && previous !== topic) this.removeRoute(node);
    if (!topic || !podRoute) return;
    this.routeTopics.set(node, topic);
    const hash = hashOf(podRoute);
    if (this.sent.get(topic) !== hash) this.send(routes.podRoute, topic, podRoute, hash);
  }

  private removeRoute(node: string): void {
    this.clear(this.routeTopics.get(node));
    this.routeTopics.delete(node);
  }

  private send(route: Route, topic: string, value: unknown, hash: string): void {
    if (this.stopped) return;
    const payload = encodePayload(value);
    if (payload.byteLength > route.maxBytes) {
      this.log(
        `edge-sync: ${topic} is ${payload.byteLength} bytes, over the ${route.maxBytes} limit; not published`,
      );
      return;
    }
    this.publish(topic, payload, { qos: route.qos, retain: true });
    this.sent.set(topic, hash);
  }

  private clear(topic: string | undefined): void {
    if (this.stopped || !topic || !this.sent.delete(topic)) return;
    this.publish(topic, Buffer.alloc(0), { qos: 1, retain: true });
  }
}
