// The hub's side of the MQTT protocol: status in (registration, heartbeats, node and pod
// status, events, presence, acks, resync requests) and desired state and dashboard summaries
// out. It only sees MQTT messages and the Registry, so it runs the same against the embedded
// broker or an external one. Messages of one node are handled one at a time, in arrival order.
import type { Clock } from '../../api/clock.js';
import { decodePayload } from '../../api/mqtt/codec.js';
import { parseTopic } from '../../api/mqtt/route-table.js';
import type { Registry } from '../apiserver/registry/registry.js';
import { objectKey } from '../controllers/runtime/informer.js';
import { ObjectFailures } from '../controllers/runtime/object-failures.js';
import { SharedInformers } from '../controllers/runtime/shared-informers.js';
import type { Store } from '../store/store.js';
import { DesiredStatePublisher } from './desired-publisher.js';
import { GatewayRateLimiter } from './gateway-limits.js';
import { LeaseRenewer } from './node-lease.js';
import type { PublishFn } from './publish.js';
import { statusHandlers } from './status-handlers.js';
import { SummaryPublisher } from './summaries.js';

export interface EdgeSyncOptions {
  registry: Registry;
  store: Store;
  publish: PublishFn;
  clock: Clock;
  log: (line: string) => void;
  /** Coalescing window for desired-state publishes (ms). */
  coalesceMs?: number;
}

export interface EdgeSync {
  /** Feed one received MQTT message (topic, raw payload). Never throws. */
  receive(topic: string, payload: Buffer): void;
  /** Last revision the node acknowledged without error. */
  appliedRevision(node: string): number | undefined;
  publishedRevision(node: string): number | undefined;
  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void>;
  stop(): void;
}

export function startEdgeSync(options: EdgeSyncOptions): EdgeSync {
  const { registry, log } = options;
  const informers = new SharedInformers(options.store, log);
  let summaries: SummaryPublisher | undefined;
  const failures = new ObjectFailures(registry, options.clock, log, 'edge-sync');
  const desired = new DesiredStatePublisher(
    informers,
    options.store,
    options.publish,
    log,
    options.coalesceMs,
    (node) => summaries?.nodeChanged(node),
    (pod, error) => failures.report(objectKey(pod), pod, 'FailedSync', error),
  );
  summaries = new SummaryPublisher(informers, options.publish, desired, options.clock, undefined, log);
  const nodes = registry.for({ group: '', resource: 'nodes' });
  const handlers = statusHandlers({
    nodes,
    pods: registry.for({ group: '', resource: 'pods' }),
    events: registry.for({ group: '', resource: 'events' }),
    podInformer: informers.for({ group: '', resource: 'pods' }),
    leases: new LeaseRenewer(registry.for({ group: 'coordination.k8s.io', resource: 'leases' }), nodes),
    desired,
    summaries,
    clock: options.clock,
    log,
  });

  // Per-gateway rate limits (gateway-limits.ts) sit between decoding and the handlers.
  const limiter = new GatewayRateLimiter({
    now: () => options.clock.now().getTime(),
    schedule: (fn, ms) => {
      const timer = setTimeout(fn, ms);
      timer.unref();
      return () => clearTimeout(timer);
    },
    log,
  });
  const queues = new Map<string, Promise<void>>();
  const enqueue = (node: string, work: () => Promise<void>) => {
    const next = (queues.get(node) ?? Promise.resolve()).then(work).catch((err: Error) => {
      log(`edge-sync: node ${node}: ${err.message}`);
    });
    queues.set(node, next);
    void next.then(() => {
      if (queues.get(node) === next) queues.delete(node);
    });
  };

  return {
    receive(topic, payload) {
      try {
        const parsed = parseTopic(topic);
        const node = parsed?.params.node;
        if (!parsed || !node || parsed.route.direction !== 'agent-to-hub') return;
        const decoded = decodePayload(parsed.route, payload);
        if (!decoded.ok) {
          log(`edge-sync: dropped ${topic} from node ${node}: ${decoded.error}`);
          return;
        }
        const handle = handlers[parsed.route.name];
        if (handle)
          limiter.admit(node, parsed.route.name, decoded.value, (value) =>
            enqueue(node, () => handle(node, value)),
          );
      } catch (err) {
        log(`edge-sync: message on ${topic} not handled: ${(err as Error).message}`);
      }
    },
    appliedRevision: (node) => desired.appliedRevision(node),
    publishedRevision: (node) => desired.publishedRevision(node),
    idle: async () => {
      while (queues.size > 0) await Promise.all(queues.values());
    },
    stop() {
      limiter.stop();
      desired.stop();
      summaries?.stop();
      informers.stop();
    },
  };
}
