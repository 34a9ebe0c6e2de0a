// One handler per agent → hub route, keyed by route name (route-handlers.ts). Each writes only
// what the message changes.

import type { Clock } from '../../api/clock.js';
import type { Taint } from '../../api/core-v1.js';
import type { Logger } from '../../api/logger.js';
import type { DesiredStateAck, ResyncRequest } from '../../api/mqtt/payloads/desired-state.js';
import type { EventBatch } from '../../api/mqtt/payloads/events.js';
import type { Heartbeat } from '../../api/mqtt/payloads/heartbeat.js';
import type { NodeRegistration } from '../../api/mqtt/payloads/node-registration.js';
import type { NodeStatusReport } from '../../api/mqtt/payloads/node-status.js';
import type { RoutesResync } from '../../api/mqtt/payloads/pod-routes.js';
import type { PodStatusBatch } from '../../api/mqtt/payloads/pod-status.js';
import type { Presence } from '../../api/mqtt/payloads/presence.js';
import type { RefusedItem } from '../../api/mqtt/payloads/refusal.js';
import { protocolMismatch } from '../../api/mqtt/protocol-version.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import type { Informer } from '../client/informer.js';
import { conditionsOf } from './conditions.js';
import type { DesiredStatePublisher } from './desired-publisher.js';
import type { GatewayTransitions } from './gateway-transitions.js';
import { recordEvent } from './node-events.js';
import type { LeaseRenewer } from './node-lease.js';
import { applyNodeStatus, markNodeReachable, markNodeUnreachable, unreachableReason } from './node-status.js';
import { applyPodStatus, PodIPRanges, podCIDRsOf } from './pod-status.js';
import { refusedByApi } from './refusals.js';
import { registerNode } from './register-node.js';
import type { RouteHandlers } from './route-handlers.js';
import type { SharedStatePublisher } from './shared-publisher.js';
import type { SummaryPublisher } from './summaries.js';
import { nodeNameOf } from './watched-kinds.js';

export interface HandlerDeps {
  nodes: ResourceStore;
  pods: ResourceStore;
  events: ResourceStore;
  podInformer: Informer;
  nodeInformer: Informer;
  leases: LeaseRenewer;
  desired: DesiredStatePublisher;
  shared: Pick<SharedStatePublisher, 'answerRoutes'>;
  summaries: SummaryPublisher;
  clock: Clock;
  log: Logger;
  /** Gateways joining, going offline and coming back, said once each. */
  transitions: GatewayTransitions;
  /**
   * Whether the node name still has a key binding (hub/broker/node-credentials.ts). Deleting a
   * Node revokes it; a registration already in flight then must not bring the Node back.
   */
  isBound?: (node: string) => Promise<boolean>;
  /** Taints a Node starts with when its gateway first registers (the cloud provider's uninitialized taint). */
  initialTaints?: readonly Taint[];
}

const foreignPod = {
  'wrong-node': 'not bound to this node',
  'wrong-uid': 'the uid is not the current pod of that name',
  'ip-outside-pod-cidr': "a pod IP is outside the node's podCIDR",
};

export function statusHandlers(deps: HandlerDeps): RouteHandlers {
  const { log } = deps;
  /** Each gateway's last reported conditions, to give back when it is heard again. */
  const reported = new Map<string, NodeStatusReport['conditions']>();
  /**
   * Each gateway's newest node status report seen, written or not (an unchanged one is not:
   * unchangedStatusRefreshMs), so that an older report delivered late is never taken for news.
   */
  const newestReport = new Map<string, number>();
  /** Gateways whose current session announced itself (presence online) since the hub started. */
  const announced = new Set<string>();
  return {
    register: async (node, reg: NodeRegistration) => {
      const mismatch = protocolMismatch(reg.protocol, 'hub');
      if (mismatch) {
        log.warn(`node ${node} not registered: ${mismatch}`);
        return [{ reason: mismatch }];
      }
      const revoked = `node ${node} not registered: its node key was revoked (its Node was deleted)`;
      if (deps.isBound && !(await deps.isBound(node))) {
        log.info(`${revoked}`);
        return [{ reason: revoked }];
      }
      const created = await registerNode(deps.nodes, node, reg, log, deps.initialTaints);
      // The Node deleted (and the key revoked) between the check and the create: undo the create.
      if (created && deps.isBound && !(await deps.isBound(node))) {
        await deps.nodes
          .delete(undefined, node, { preconditions: { uid: created.metadata.uid }, dryRun: false })
          .catch(() => {});
        log.info(`${revoked}`);
        return [{ reason: revoked }];
      }
      deps.transitions.registered(node, created !== undefined);
      deps.summaries.setOnline(node, true);
    },
    // Handled out of band (edge-sync.ts): a backlog of status never delays it.
    heartbeat: async (node, beat: Heartbeat) => {
      if (deps.leases.renew(node, beat) === 'stale') return;
      const ready = conditionsOf(deps.nodeInformer.get(node)?.status).find((c) => c.type === 'Ready');
      if (ready?.status !== 'Unknown' || ready.reason !== unreachableReason) return;
      const outcome = await markNodeReachable(deps.nodes, node, reported.get(node), deps.clock.now());
      if (outcome === 'written') {
        log.debug(`node ${node} heard again: Ready as last reported`);
        deps.transitions.online(node);
      }
    },
    nodeStatus: async (node, report: NodeStatusReport) => {
      if (report.observedAt < (newestReport.get(node) ?? 0)) return;
      newestReport.set(node, report.observedAt);
      reported.set(node, report.conditions);
      const outcome = await applyNodeStatus(deps.nodes, node, report);
      if (outcome === 'unknown-node') log.warn(`status of unregistered node ${node} dropped`);
    },
    podStatus: async (node, batch: PodStatusBatch) => {
      const refused: RefusedItem[] = [];
      const ranges = new PodIPRanges(
        podCIDRsOf(await deps.nodes.get(undefined, node).catch(() => undefined)),
      );
      for (const [index, item] of batch.items.entries()) {
        const pod = `${item.namespace}/${item.name}`;
        try {
          const outcome = await applyPodStatus(deps.pods, node, item, ranges);
          if (outcome === 'wrong-node' || outcome === 'wrong-uid' || outcome === 'ip-outside-pod-cidr') {
            log.warn(`status of pod ${pod} from node ${node} dropped: ${outcome}`);
            refused.push({ index, reason: `pod ${pod}: ${foreignPod[outcome]}` });
          }
        } catch (err) {
          log.warn(`status of pod ${pod} from node ${node} not written: ${(err as Error).message}`);
          if (refusedByApi(err)) refused.push({ index, reason: (err as Error).message });
        }
      }
      return refused;
    },
    events: async (node, batch: EventBatch) => {
      const podOnNode = (ns: string, name: string) => {
        const pod = deps.podInformer.get(`${ns}/${name}`);
        return pod !== undefined && nodeNameOf(pod) === node;
      };
      const refused: RefusedItem[] = [];
      for (const [index, report] of batch.items.entries()) {
        const about = `${report.involvedObject.kind} ${report.involvedObject.name}`;
        try {
          const outcome = await recordEvent(deps.events, node, report, podOnNode);
          if (outcome === 'refused') {
            log.warn(`event about ${about} from node ${node} dropped: not its own`);
            refused.push({ index, reason: `${about} is neither this node nor one of its pods` });
          }
        } catch (err) {
          log.warn(`event about ${about} from node ${node} not recorded: ${(err as Error).message}`);
          if (refusedByApi(err)) refused.push({ index, reason: (err as Error).message });
        }
      }
      return refused;
    },
    ack: async (node, ack: DesiredStateAck) => {
      deps.desired.recordAck(node, ack);
    },
    resync: async (node, request: ResyncRequest) => {
      deps.desired.resync(node, request.appliedRevision, request.appliedDigest);
    },
    routesResync: async (node, request: RoutesResync) => {
      deps.shared.answerRoutes(node, request);
    },
    presence: async (node, presence: Presence) => {
      deps.summaries.setOnline(node, presence.state === 'online', presence.since);
      if (presence.state === 'online') {
        announced.add(node);
        return;
      }
      // A session that ended before its gateway said it was online tells nothing new: most often
      // a connection that gave up waiting for its CONNACK while a restarted hub let thousands of
      // gateways back in. Marking those gateways unreachable (and their pods) at once, then back
      // when they got in, doubled the work of a fleet's return (1,447 of 5,000 Nodes flapped in
      // the fleet bench). The node monitor's grace period judges them instead.
      if (!announced.delete(node)) return;
      // The agent says its version when it leaves; the broker, for a session that just ended, does not.
      deps.transitions.offline(
        node,
        presence.agentVersion === undefined ? 'MQTT session dropped' : 'the agent disconnected (stopping)',
      );
      const at = new Date(presence.since ?? deps.clock.now().getTime());
      await markNodeUnreachable(deps.nodes, node, at);
      // The Lease keeps the last heartbeat: write it now rather than up to 30 s late.
      deps.leases.persistSoon(node);
    },
  };
}
