// One handler per agent → hub route, keyed by route name. Each gets the node the message came
// from (taken from the topic, which the broker only lets that node publish on) and the
// validated payload; each writes only what the message changes.
import type { Clock } from '../../api/clock.js';
import type { DesiredStateAck, ResyncRequest } from '../../api/mqtt/payloads/desired-state.js';
import type { EventBatch } from '../../api/mqtt/payloads/events.js';
import type { Heartbeat } from '../../api/mqtt/payloads/heartbeat.js';
import type { NodeRegistration } from '../../api/mqtt/payloads/node-registration.js';
import type { NodeStatusReport } from '../../api/mqtt/payloads/node-status.js';
import type { PodStatusBatch } from '../../api/mqtt/payloads/pod-status.js';
import type { Presence } from '../../api/mqtt/payloads/presence.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import type { Informer } from '../controllers/runtime/informer.js';
import type { DesiredStatePublisher } from './desired-publisher.js';
import { recordEvent } from './node-events.js';
import type { LeaseRenewer } from './node-lease.js';
import { applyNodeStatus, markNodeUnreachable } from './node-status.js';
import { applyPodStatus } from './pod-status.js';
import { registerNode } from './register-node.js';
import type { SummaryPublisher } from './summaries.js';
import { nodeNameOf } from './watched-kinds.js';

export interface HandlerDeps {
  nodes: ResourceStore;
  pods: ResourceStore;
  events: ResourceStore;
  podInformer: Informer;
  leases: LeaseRenewer;
  desired: DesiredStatePublisher;
  summaries: SummaryPublisher;
  clock: Clock;
  log: (line: string) => void;
}

export type Handler = (node: string, payload: any) => Promise<void>;

export function statusHandlers(deps: HandlerDeps): Partial<Record<string, Handler>> {
  const { log } = deps;
  return {
    register: async (node, reg: NodeRegistration) => {
      await registerNode(deps.nodes, node, reg);
      deps.summaries.setOnline(node, true);
    },
    heartbeat: async (node, beat: Heartbeat) => {
      await deps.leases.renew(node, beat);
    },
    nodeStatus: async (node, report: NodeStatusReport) => {
      const outcome = await applyNodeStatus(deps.nodes, node, report);
      if (outcome === 'unknown-node') log(`edge-sync: status of unregistered node ${node} dropped`);
    },
    podStatus: async (node, batch: PodStatusBatch) => {
      for (const item of batch.items) {
        try {
          const outcome = await applyPodStatus(deps.pods, node, item);
          if (outcome === 'wrong-node' || outcome === 'wrong-uid') {
            log(
              `edge-sync: status of pod ${item.namespace}/${item.name} from node ${node} dropped: ${outcome}`,
            );
          }
        } catch (err) {
          log(
            `edge-sync: status of pod ${item.namespace}/${item.name} from node ${node} not written: ${(err as Error).message}`,
          );
        }
      }
    },
    events: async (node, batch: EventBatch) => {
      const podOnNode = (ns: string, name: string) => {
        const pod = deps.podInformer.get(`${ns}/${name}`);
        return pod !== undefined && nodeNameOf(pod) === node;
      };
      for (const report of batch.items) {
        const about = `${report.involvedObject.kind} ${report.involvedObject.name}`;
        try {
          const outcome = await recordEvent(deps.events, node, report, podOnNode);
          if (outcome === 'refused')
            log(`edge-sync: event about ${about} from node ${node} dropped: not its own`);
        } catch (err) {
          log(`edge-sync: event about ${about} from node ${node} not written: ${(err as Error).message}`);
        }
      }
    },
    ack: async (node, ack: DesiredStateAck) => {
      deps.desired.recordAck(node, ack);
    },
    resync: async (node, _request: ResyncRequest) => {
      deps.desired.resync(node);
    },
    presence: async (node, presence: Presence) => {
      deps.summaries.setOnline(node, presence.state === 'online');
      if (presence.state === 'online') return;
      const at = new Date(presence.since ?? deps.clock.now().getTime());
      await markNodeUnreachable(deps.nodes, node, at);
      deps.leases.forget(node);
    },
  };
}
