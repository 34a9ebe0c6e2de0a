import type { Logger } from '../../api/logger.js';
// The hub's side of the MQTT protocol: status in (registration, heartbeats, node and pod
// status, events, presence, acks, resync requests) and desired state and dashboard summaries
// out. It only sees MQTT messages and the Registry, so it runs the same against the embedded
// broker or an external one. Messages of one node are handled one at a time, in arrival order.

import type { Clock } from '../../api/clock.js';
import type { Taint } from '../../api/core-v1.js';
import type { RefusedItem } from '../../api/mqtt/payloads/refusal.js';
import { routes, wildcardFilter } from '../../api/mqtt/route-table.js';
import type { Registry } from '../apiserver/registry/registry.js';
import type { AgentMessage } from '../broker/agent-message.js';
import { backgroundTurns } from '../client/background-turns.js';
import { objectKey } from '../client/informer.js';
import { ObjectFailures } from '../client/object-failures.js';
import { SharedInformers } from '../client/shared-informers.js';
import type { NodeHeartbeats } from '../node-heartbeats.js';
import type { TokenIssuer } from '../serviceaccount/token-issuer.js';
import type { Store } from '../store/store.js';
import { DesiredStatePublisher } from './desired-publisher.js';
import { GatewayRateLimiter } from './gateway-limits.js';
import { GatewayTransitions, offlineReason } from './gateway-transitions.js';
import { LeaseRenewer } from './node-lease.js';
import type { PublishFn } from './publish.js';
import { inSentOrder, publishRefusal, refusedByApi } from './refusals.js';
import { handlerOf } from './route-handlers.js';
import { SharedStatePublisher } from './shared-publisher.js';
import { statusHandlers } from './status-handlers.js';
import { SummaryPublisher } from './summaries.js';
import { tokenRequestHandler } from './token-requests.js';
import { desiredInputInformers } from './watched-kinds.js';

export interface EdgeSyncOptions {
  registry: Registry;
  store: Store;
  publish: PublishFn;
  clock: Clock;
  log: Logger;
  /** Coalescing window for desired-state publishes (ms). */
  coalesceMs?: number;
  /**
   * The hub's one informer cache, shared with the controllers and the scheduler (a second cache
   * would hold every object twice and decode every store event twice). Without it edge sync
   * builds and stops its own (tests that run edge sync alone).
   */
  informers?: SharedInformers;
  /** The hub's in-memory heartbeat book (read by node lifecycle and LAST-SEEN). */
  heartbeats?: NodeHeartbeats;
  /**
   * The topics of the retained messages the broker holds under a filter: summaries retained from
   * before this start (a persistent or external broker keeps them) are cleared when what they
   * describe no longer exists.
   */
  retainedTopics?: (filter: string) => Promise<string[]>;
  /** Whether a node name still has a key binding: registrations of revoked names create nothing. */
  isBound?: (node: string) => Promise<boolean>;
  /** Taints a Node starts with when its gateway first registers (the cloud provider's uninitialized taint). */
  initialTaints?: readonly Taint[];
  /** Issues the ServiceAccount tokens of the gateways' pods; without it token requests go unanswered. */
  tokens?: TokenIssuer;
}

export interface EdgeSync {
  /** Feed one agent → hub message (decoded once, hub/broker/agent-message.ts). Never throws. */
  receive(message: AgentMessage): void;
  /** Last revision the node acknowledged without error. */
  appliedRevision(node: string): number | undefined;
  publishedRevision(node: string): number | undefined;
  /** A change of the node's own state is marked and not yet published (the coalescing window). */
  desiredPending(node: string): boolean;
  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void>;
  stop(): void;
}

/** Every dashboard summary topic. */
const summaryFilters = [routes.nodeSummary, routes.workloadSummary].map(wildcardFilter);

export function startEdgeSync(options: EdgeSyncOptions): EdgeSync {
  const { registry, log } = options;
  const ownInformers = options.informers === undefined;
  const informers = options.informers ?? new SharedInformers(options.store, log);
  let summaries: SummaryPublisher | undefined;
  const failures = new ObjectFailures(registry, options.clock, log, 'edge-sync');
  const desired = new DesiredStatePublisher(
    informers,
    options.store,
    options.publish,
    log,
    options.coalesceMs,
    (node) => summaries?.revisionChanged(node),
    (pod, error) => failures.report(objectKey(pod), pod, 'FailedSync', error),
  );
  const shared = new SharedStatePublisher(desiredInputInformers(informers), options.publish, log);
  summaries = new SummaryPublisher(informers, options.publish, desired, options.clock, undefined, log);
  const summaryPublisher = summaries;
  const retained = options.retainedTopics;
  Promise.all(summaryFilters.map((filter) => retained?.(filter) ?? []))
    .then((lists) => summaryPublisher.adoptRetained(lists.flat()))
    .catch((err: Error) => log.warn(`retained summaries not read: ${err.message}`));
  const nodes = registry.for({ group: '', resource: 'nodes' });
  const leases = new LeaseRenewer(
    registry.for({ group: 'coordination.k8s.io', resource: 'leases' }),
    nodes,
    options.heartbeats,
    {},
    log,
  );
  const transitions = new GatewayTransitions(log, () => options.clock.now().getTime());
  informers.for({ group: '', resource: 'nodes' }).addHandler({
    update: (node, old) => {
      const why = offlineReason(node, old);
      if (why) transitions.offline(node.metadata.name!, why);
    },
    delete: (node) => transitions.forget(node.metadata.name!),
  });
  const handlers = statusHandlers({
    nodes,
    pods: registry.for({ group: '', resource: 'pods' }),
    events: registry.for({ group: '', resource: 'events' }),
    podInformer: informers.for({ group: '', resource: 'pods' }),
    nodeInformer: informers.for({ group: '', resource: 'nodes' }),
    leases,
    desired,
    shared,
    summaries,
    clock: options.clock,
    log,
    transitions,
    ...(options.isBound ? { isBound: options.isBound } : {}),
    ...(options.initialTaints ? { initialTaints: options.initialTaints } : {}),
  });
  if (options.tokens) {
    handlers.tokenRequest = tokenRequestHandler({
      registry,
      issuer: options.tokens,
      publish: options.publish,
      log,
    });
  }

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
  let stopped = false;
  // Heartbeats and presence go in a lane of their own per node: queued behind a backlog of
  // status writes they would arrive after the grace period and mark a live gateway unreachable.
  const outOfBand = new Set(['heartbeat', 'presence']);
  const enqueue = (node: string, route: string, work: () => Promise<void>) => {
    const lane = outOfBand.has(route) ? `${node}\0presence` : node;
    // In-band work starts in a background turn (background-turns.ts), not inside the socket read
    // that brought the message: a fleet's status traffic then no longer holds the event loop's
    // poll phase, where the API's requests are read, for tens of milliseconds at a time (during a
    // rollout to 10,000 gateways a GET waited 58 ms at p50 and `kubectl get nodes`, 20 pages,
    // over 2 s at p99). Heartbeats and presence are cheap and stay prompt.
    const start = outOfBand.has(route)
      ? work
      : () => backgroundTurns.yieldTurn().then(() => (stopped ? undefined : work()));
    // Once stopped, queued messages are dropped, not drained: at thousands of gateways the backlog
    // held a SIGTERM for minutes, and every gateway resends its node and pod status after the
    // reconnect a hub restart causes.
    const next = (queues.get(lane) ?? Promise.resolve())
      .then(() => (stopped ? undefined : start()))
      .catch((err: Error) => {
        log.info(`node ${node}: ${err.message}`);
      });
    queues.set(lane, next);
    void next.then(() => {
      if (queues.get(lane) === next) queues.delete(lane);
    });
  };

  return {
    receive(message) {
      const { topic, node, route } = message;
      try {
        const decoded = message.payload;
        if (!decoded.ok) {
          // Only reached behind an external broker: the embedded one refuses these itself.
          log.warn(`dropped ${topic} from node ${node}: ${decoded.error}`);
          publishRefusal(options.publish, node, route, [{ reason: decoded.error }]);
          return;
        }
        const refused = decoded.refused ?? [];
        for (const item of refused) {
          log.warn(`item ${item.index} of ${topic} from node ${node} refused: ${item.reason}`);
        }
        // One refusal message per message received: the validator's refusals go back with the
        // handler's for the part of the batch the rate limiter lets through at once (alone, when
        // it lets nothing through now); parts it lets through later bring their own.
        const handle = handlerOf(handlers, message);
        let pending: RefusedItem[] = refused;
        const sentIndexes = sentPositions(decoded.value, decoded.itemIndexes);
        if (handle) {
          // What the limit drops is refused with the message's other refusals, by sent position.
          const dropped = (part: unknown, reason: string) => {
            const indexes = sentIndexes(part);
            const items = indexes ? indexes.map((index) => ({ index, reason })) : [{ reason }];
            pending = [...pending, ...items];
          };
          limiter.admit(
            node,
            route,
            decoded.value,
            (value) => {
              const fromValidator = pending;
              pending = [];
              enqueue(node, route, async () => {
                let later: RefusedItem[] = [];
                try {
                  later = (await handle(node, value)) || [];
                } catch (err) {
                  // A single-object payload (registration, node status) the API server refused.
                  if (refusedByApi(err)) later = [{ reason: (err as Error).message }];
                  throw err;
                } finally {
                  const all = inSentOrder(fromValidator, later, sentIndexes(value));
                  publishRefusal(options.publish, node, route, all);
                }
              });
            },
            dropped,
          );
        }
        publishRefusal(options.publish, node, route, pending);
        pending = [];
      } catch (err) {
        log.warn(`message on ${topic} not handled: ${(err as Error).message}`);
      }
    },
    appliedRevision: (node) => desired.appliedRevision(node),
    publishedRevision: (node) => desired.publishedRevision(node),
    desiredPending: (node) => desired.pending(node),
    idle: async () => {
      while (queues.size > 0) await Promise.all(queues.values());
    },
    stop() {
      stopped = true;
      limiter.stop();
      leases.stop();
      desired.stop();
      shared.stop();
      summaries?.stop();
      if (ownInformers) informers.stop();
    },
  };
}

/**
 * For a batch payload, a function from any part of its items (same item objects, as the rate
 * limiter passes them on) to those items' positions in the batch as sent.
 */
function sentPositions(
  value: unknown,
  itemIndexes: readonly number[] | undefined,
): (part: unknown) => number[] | undefined {
  const items = (value as { items?: unknown }).items;
  if (!Array.isArray(items)) return () => itemIndexes && [...itemIndexes];
  const position = new Map<unknown, number>(items.map((item, i) => [item, itemIndexes?.[i] ?? i]));
  return (part) => ((part as { items?: unknown[] }).items ?? []).map((item) => position.get(item) ?? -1);
}
