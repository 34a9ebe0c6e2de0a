// The one MQTT route table. Every topic between gateways, hub and dashboards is a row here;
// the broker's authorization (api/mqtt/access.ts), the hub's and the agent's subscriptions and
// firmware-notes/protocol.md (api/mqtt/protocol-doc.ts) are all derived from it.

import type { KubeObject } from '../types.js';
import * as relay from './payloads/api-relay.js';
import { type DesiredDelta, validateDesiredDelta } from './payloads/desired-delta.js';
import {
  type DesiredState,
  type DesiredStateAck,
  type ResyncRequest,
  validateDesiredState,
  validateDesiredStateAck,
  validateResyncRequest,
  validateSharedObject,
} from './payloads/desired-state.js';
import { type EventBatch, validateEventBatch } from './payloads/events.js';
import { type Heartbeat, validateHeartbeat } from './payloads/heartbeat.js';
import { type NodeRegistration, validateNodeRegistration } from './payloads/node-registration.js';
import { type NodeStatusReport, validateNodeStatusReport } from './payloads/node-status.js';
import {
  type PodRoute,
  type RouteSet,
  type RoutesResync,
  validatePodRoute,
  validateRouteSet,
  validateRoutesResync,
} from './payloads/pod-routes.js';
import { type PodStatusBatch, validatePodStatusBatch } from './payloads/pod-status.js';
import { type Presence, validatePresence } from './payloads/presence.js';
import { type Refusal, validateRefusal } from './payloads/refusal.js';
import * as req from './payloads/requests.js';
import { validateTokenReply, validateTokenRequest } from './payloads/service-account-token.js';
import {
  type NodeSummary,
  validateNodeSummary,
  validateWorkloadSummary,
  type WorkloadSummary,
} from './payloads/summaries.js';
import { type Route, defineRoute as route } from './route.js';
import { matchLevels, type TopicParams } from './topics.js';

const KiB = 1024;
const up = 'agent-to-hub';
const down = 'hub-to-agent';
const dash = 'hub-to-dashboard';
const fleet = 'hub-to-fleet';

export const routes = {
  register: route('register', {
    pattern: 'flotilla/v1/nodes/{node}/register',
    direction: up,
    qos: 1,
    maxBytes: 16 * KiB,
    validate: validateNodeRegistration,
    description:
      'Node registration, sent after every CONNACK: creates or refreshes the Node and marks it Ready.',
  }),
  heartbeat: route('heartbeat', {
    pattern: 'flotilla/v1/nodes/{node}/heartbeat',
    direction: up,
    qos: 0,
    maxBytes: 128,
    validate: validateHeartbeat,
    description: 'Tiny liveness beat (about every 10 s): renews the node Lease in kube-node-lease.',
  }),
  nodeStatus: route('nodeStatus', {
    pattern: 'flotilla/v1/nodes/{node}/status',
    direction: up,
    qos: 1,
    maxBytes: 64 * KiB,
    validate: validateNodeStatusReport,
    description: 'Node conditions and resources, on change or on a slow timer (minutes).',
  }),
  podStatus: route('podStatus', {
    pattern: 'flotilla/v1/nodes/{node}/pods/status',
    direction: up,
    qos: 1,
    maxBytes: 256 * KiB,
    validate: validatePodStatusBatch,
    description: 'Batch of pod statuses that changed; an older observedAt never overwrites a newer one.',
  }),
  events: route('events', {
    pattern: 'flotilla/v1/nodes/{node}/events',
    direction: up,
    qos: 1,
    maxBytes: 128 * KiB,
    validate: validateEventBatch,
    description: 'Batch of Kubernetes events about the node or its pods.',
  }),
  ack: route('ack', {
    pattern: 'flotilla/v1/nodes/{node}/ack',
    direction: up,
    qos: 1,
    maxBytes: 2 * KiB,
    validate: validateDesiredStateAck,
    description: 'The desired-state revision the agent has applied.',
  }),
  resync: route('resync', {
    pattern: 'flotilla/v1/nodes/{node}/resync',
    direction: up,
    qos: 1,
    maxBytes: 1 * KiB,
    validate: validateResyncRequest,
    description:
      'Asks the hub to publish the full desired state again (same revision when nothing changed); sent after every CONNACK.',
  }),
  routesResync: route('routesResync', {
    pattern: 'flotilla/v1/nodes/{node}/routes/resync',
    direction: up,
    qos: 1,
    maxBytes: 1 * KiB,
    validate: validateRoutesResync,
    description:
      "Asks for the pod routes of the node's segment, naming the set it holds by its digest; answered on `routes` only when the hub's set differs. Sent after every CONNACK and after following a new segment.",
  }),
  presence: route('presence', {
    pattern: 'flotilla/v1/nodes/{node}/presence',
    direction: up,
    qos: 1,
    retain: true,
    maxBytes: 256,
    validate: validatePresence,
    dashboards: true,
    description:
      'Retained online/offline; "offline" is the Last Will. Offline marks the node Ready=Unknown at once.',
  }),
  reply: route('reply', {
    pattern: 'flotilla/v1/nodes/{node}/replies/{id}',
    direction: up,
    qos: 1,
    maxBytes: 64 * KiB,
    validate: req.validateStreamChunk,
    description:
      'Answer chunks to request {id} (logs, exec, attach and port-forward output, metrics), numbered by seq, last one end: true.',
  }),
  tokenRequest: route('tokenRequest', {
    pattern: 'flotilla/v1/nodes/{node}/tokens/request',
    direction: up,
    qos: 1,
    maxBytes: 2 * KiB,
    validate: validateTokenRequest,
    description:
      "Asks for the ServiceAccount token of one of the node's own pods (a projected serviceAccountToken source); answered on `tokens/replies/{id}`. Sent when the pod starts and again at 80% of the token's lifetime.",
  }),
  tokenReply: route('tokenReply', {
    pattern: 'flotilla/v1/nodes/{node}/tokens/replies/{id}',
    direction: down,
    qos: 1,
    maxBytes: 16 * KiB,
    validate: validateTokenReply,
    description:
      'The token asked for by `tokenRequest` {id}, bound to the pod, with when to consider it expired; or `error` when the pod is not bound to this node, not that uid, or its ServiceAccount is gone.',
  }),
  desired: route('desired', {
    pattern: 'flotilla/v1/nodes/{node}/desired',
    direction: down,
    qos: 1,
    retain: true,
    maxBytes: 8 * KiB * KiB,
    validate: validateDesiredState,
    description:
      "The node's own desired state under a revision: its pods, the ConfigMaps and Secrets they reference, its pod network and segment (retained, level-based; only this node may read it).",
  }),
  desiredDelta: route('desiredDelta', {
    pattern: 'flotilla/v1/nodes/{node}/desired/delta',
    direction: down,
    qos: 1,
    maxBytes: 8 * KiB * KiB,
    validate: validateDesiredDelta,
    description:
      "A change of the node's own desired state, revision `from` → `revision` (not retained): applied only onto exactly `from`; any other base is a gap, answered with `resync`.",
  }),
  routeSet: route('routeSet', {
    pattern: 'flotilla/v1/nodes/{node}/routes',
    direction: down,
    qos: 1,
    maxBytes: 1 * KiB * KiB,
    validate: validateRouteSet,
    description:
      "Every other gateway's pod route in the node's segment, whole (not retained): the answer to a `routesResync` whose digest differs from the hub's; replaces the routes held.",
  }),
  service: route('service', {
    pattern: 'flotilla/v1/shared/services/{namespace}/{name}',
    direction: fleet,
    qos: 1,
    retain: true,
    maxBytes: 256 * KiB,
    validate: validateSharedObject,
    description:
      'One Service (trimmed, with its resourceVersion), published once per change for every gateway; empty retained message: deleted.',
  }),
  endpointSlice: route('endpointSlice', {
    pattern: 'flotilla/v1/shared/endpointslices/{namespace}/{name}',
    direction: fleet,
    qos: 1,
    retain: true,
    maxBytes: 256 * KiB,
    validate: validateSharedObject,
    description:
      'One EndpointSlice (trimmed, with its resourceVersion), published once per change for every gateway; empty retained message: deleted.',
  }),
  podRoute: route('podRoute', {
    pattern: 'flotilla/v1/shared/segments/{segment}/routes/{node}',
    direction: fleet,
    qos: 1,
    maxBytes: 1 * KiB,
    validate: validatePodRoute,
    description:
      "A change of node {node}'s pod network or next hop, for the gateways of segment {segment} (host-gw; not retained: the whole set comes on `routes`); empty message: gone.",
  }),
  refused: route('refused', {
    pattern: 'flotilla/v1/nodes/{node}/refused',
    direction: down,
    qos: 1,
    maxBytes: 64 * KiB,
    validate: validateRefusal,
    description:
      'What the hub did not apply of a message from this node, and why: the whole message, or single items of a batch (the rest was applied).',
  }),
  logsRequest: route('logsRequest', {
    pattern: 'flotilla/v1/nodes/{node}/requests/logs',
    direction: down,
    qos: 1,
    maxBytes: 4 * KiB,
    validate: req.validateLogsRequest,
    description: 'Container logs request; answered on replyTo, streamed while follow is true.',
  }),
  execRequest: route('execRequest', {
    pattern: 'flotilla/v1/nodes/{node}/requests/exec',
    direction: down,
    qos: 1,
    maxBytes: 8 * KiB,
    validate: req.validateExecRequest,
    description:
      'Run a command in a container; a chunk once started (inputBytes: 0 when input follows), output on replyTo, exitCode in the end chunk, input on stdin/{id} acknowledged by inputBytes.',
  }),
  attachRequest: route('attachRequest', {
    pattern: 'flotilla/v1/nodes/{node}/requests/attach',
    direction: down,
    qos: 1,
    maxBytes: 4 * KiB,
    validate: req.validateAttachRequest,
    description:
      "Attach to a container's own process (kubectl attach, run -i); like execRequest without a command, and the process goes on when the client leaves.",
  }),
  portForwardRequest: route('portForwardRequest', {
    pattern: 'flotilla/v1/nodes/{node}/requests/portforward',
    direction: down,
    qos: 1,
    maxBytes: 1 * KiB,
    validate: req.validatePortForwardRequest,
    description:
      "One connection to a port on the pod's localhost (kubectl port-forward); a chunk with inputBytes: 0 once connected, `data` chunks on replyTo, input on stdin/{id} acknowledged by inputBytes.",
  }),
  metricsRequest: route('metricsRequest', {
    pattern: 'flotilla/v1/nodes/{node}/requests/metrics',
    direction: down,
    qos: 1,
    maxBytes: 1 * KiB,
    validate: req.validateMetricsRequest,
    description: 'Resource usage request for the node or its pods; answered on replyTo.',
  }),
  cancelRequest: route('cancelRequest', {
    pattern: 'flotilla/v1/nodes/{node}/requests/cancel',
    direction: down,
    qos: 1,
    maxBytes: 256,
    validate: req.validateCancelRequest,
    description: 'Stops the stream of request {id}; the agent sends its end chunk.',
  }),
  stdin: route('stdin', {
    pattern: 'flotilla/v1/nodes/{node}/stdin/{id}',
    direction: down,
    qos: 1,
    maxBytes: 64 * KiB,
    validate: req.validateStreamChunk,
    description:
      'Input for exec, attach or port-forward request {id}, numbered by seq: data, resize (terminal size), end: true closes stdin or half-closes the connection.',
  }),
  apiRequest: route('apiRequest', {
    pattern: 'flotilla/v1/nodes/{node}/api/requests',
    direction: up,
    qos: 1,
    maxBytes: 1536 * KiB,
    validate: relay.validateApiRequest,
    description:
      "An HTTP request of a pod on this gateway to the Kubernetes API (kubernetes.default.svc), with the pod's bearer token; the hub runs it as the token's user (never as the gateway) and answers on apiReply/{id}.",
  }),
  apiCancel: route('apiCancel', {
    pattern: 'flotilla/v1/nodes/{node}/api/cancel',
    direction: up,
    qos: 1,
    maxBytes: 256,
    validate: relay.validateApiCancel,
    description: 'The pod left request {id} (a watch it closed): the hub stops it.',
  }),
  servingCertRequest: route('servingCertRequest', {
    pattern: 'flotilla/v1/nodes/{node}/api/serving-cert/request',
    direction: up,
    qos: 1,
    maxBytes: 2 * KiB,
    validate: relay.validateServingCertRequest,
    description:
      "Asks for the API relay's serving certificate for the gateway's own public key; answered on servingCert.",
  }),
  apiReply: route('apiReply', {
    pattern: 'flotilla/v1/nodes/{node}/api/replies/{id}',
    direction: down,
    qos: 1,
    maxBytes: 256 * KiB,
    validate: relay.validateApiReply,
    description:
      'The answer to apiRequest {id}: status and headers in chunk 0, the body in chunks numbered by seq, end: true last (a watch streams until cancelled).',
  }),
  servingCert: route('servingCert', {
    pattern: 'flotilla/v1/nodes/{node}/api/serving-cert',
    direction: down,
    qos: 1,
    maxBytes: 16 * KiB,
    validate: relay.validateServingCert,
    description:
      "The relay's serving certificate, signed by the hub's CA for kubernetes, kubernetes.default, kubernetes.default.svc(.cluster.local) and the kubernetes Service's ClusterIP.",
  }),
  nodeSummary: route('nodeSummary', {
    pattern: 'flotilla/v1/summary/nodes/{node}',
    direction: dash,
    qos: 0,
    retain: true,
    maxBytes: 1 * KiB,
    validate: validateNodeSummary,
    dashboards: true,
    description:
      'Retained per-node summary for dashboards: readiness, presence and last seen, arch, site and zone, pods, revisions while behind (fields: firmware-notes/dashboards.md).',
  }),
  workloadSummary: route('workloadSummary', {
    pattern: 'flotilla/v1/summary/workloads/{namespace}/{kind}/{name}',
    direction: dash,
    qos: 0,
    retain: true,
    maxBytes: 4 * KiB,
    validate: validateWorkloadSummary,
    dashboards: true,
    description:
      'Retained per-workload summary (Deployment, DaemonSet, StatefulSet, Job, … or a bare Pod): desired, pods, ready, nodes (fields: firmware-notes/dashboards.md).',
  }),
};

export type RouteName = keyof typeof routes;
export type AnyRoute = (typeof routes)[RouteName];
/** The payload type of a route, e.g. `PayloadOf<typeof routes.heartbeat>` is Heartbeat. */
export type PayloadOf<R> = R extends Route<infer T, string> ? T : never;

export const routeList: readonly Route[] = Object.values(routes) as Route[];

export interface ParsedTopic {
  route: Route;
  params: TopicParams;
}

/** Which route a topic belongs to, with its parameters; undefined for anything else. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  for (const route of routeList) {
    const params = matchLevels(route.compiled, parts);
    if (params) return { route, params };
  }
  return undefined;
}

export { buildTopic, type Direction, type ParamsOf, type Route, wildcardFilter } from './route.js';
export type {
  DesiredDelta,
  DesiredState,
  DesiredStateAck,
  EventBatch,
  Heartbeat,
  KubeObject,
  NodeRegistration,
  NodeStatusReport,
  NodeSummary,
  PodRoute,
  PodStatusBatch,
  Presence,
  Refusal,
  ResyncRequest,
  RouteSet,
  RoutesResync,
  WorkloadSummary,
};
