// The desired-state part of firmware-notes/protocol.md (protocol-doc.ts renders the rest): what a
// gateway must subscribe to, which messages carry what, and the rules for applying them, from
// the same route table, limits and version constant the hub and the agent use.
import { segmentSubscription } from './agent-session.js';
import { maxDigestLength, protocolVersion } from './payloads/desired-state.js';
import { podRoutesDigest } from './payloads/pod-routes.js';
import { protocolMismatch } from './protocol-version.js';
import { buildTopic, routes } from './route-table.js';

const node = 'gw-17';
const own = (route: typeof routes.desired | typeof routes.desiredDelta) =>
  `\`${buildTopic(route, { node })}\``;

export function desiredStateSection(): string[] {
  return [
    `## Desired state (protocol ${protocolVersion})`,
    '',
    "What a gateway must run comes in two parts. What is **its own** — its pods, the ConfigMaps and Secrets they reference, its pod CIDR and segment — is on its own topics, which only it may read. What **many gateways share** — Services and EndpointSlices (for the service proxy and cluster DNS) and the pod routes of a network segment — is on shared topics which every gateway may read: one retained message per Service and EndpointSlice, and one message per change of a gateway's pod route, not retained; a gateway gets its segment's whole route set by asking for it with the digest of what it holds. Secrets never go to a shared topic.",
    '',
    '| What | Topic | Retained | Sent when |',
    '| --- | --- | --- | --- |',
    `| own state, whole (snapshot) | ${own(routes.desired)} | yes | first publish since the hub started (unless the gateway's \`resync\` showed it holds that state), answer to \`resync\`, and when the deltas since the last snapshot add up to more bytes than the snapshot |`,
    `| own state, change (delta) | ${own(routes.desiredDelta)} | no | every other change of the own state |`,
    `| one Service | \`${routes.service.pattern}\` | yes | the Service changed as an agent sees it (not for a status write); empty message: deleted |`,
    `| one EndpointSlice | \`${routes.endpointSlice.pattern}\` | yes | the slice changed; empty message: deleted |`,
    `| one gateway's pod route | \`${routes.podRoute.pattern}\` | no | that gateway's pod CIDR, InternalIP or segment changed; empty message: gone |`,
    `| a segment's routes, whole | \`${buildTopic(routes.routeSet, { node })}\` | no | answer to \`routesResync\` when the gateway's digest differs from the hub's set |`,
    '',
    '### Why this shape',
    '',
    "- Cost follows what changed: a gateway joining sends its own snapshot, gets the Services and EndpointSlices from the broker's retained store and its segment's routes in one message, and its own route goes to its segment's gateways as one message each — no other gateway's own state changes. A Service change is one message to each gateway, the size of that Service. A pod change is a delta to its one gateway.",
    '- MQTT 3.1.1 keeps QoS 1 messages of one topic from one publisher in order and queues them for a persistent session, but a lost session (broker restart, session taken over with clean session) loses them, and nothing orders messages across topics. So deltas name their base revision (`from`) and are applied only onto exactly it; any doubt is settled by a full snapshot (`resync`). Deltas are not retained: a retained delta would reach a new subscriber without its base.',
    "- Shared objects need no sequence across objects: the retained message of each topic is that object's current version, a new subscriber gets the current set at SUBSCRIBE [MQTT-3.3.1-6], and each object carries its `metadata.resourceVersion`, so a late copy never replaces a newer one.",
    "- Pod routes are not retained because a retained set costs one message per gateway of the segment at every SUBSCRIBE: 10,000 gateways in sites of 50 returning to a restarted hub (which loses the sessions) were sent half a million route messages. A digest names a set instead; both sides compute it, so a gateway that holds its segment's routes is sent nothing.",
    '',
    '### Own state: the snapshot',
    '',
    "- `protocol`: the version of this protocol the hub speaks (see Versioning). `revision`: increases with every change of this node's own state, also across hub restarts (it is the store's resourceVersion when published). `node`: the node it is for; a gateway ignores a state for another node.",
    '- `pods`: the v1 Pods bound to the node (`spec.nodeName`), trimmed: no `status`, `metadata.resourceVersion`, `managedFields` or last-applied annotation; `metadata.name`, `metadata.namespace`, `metadata.uid` and `spec` are always there. A deleting pod stays listed with `metadata.deletionTimestamp`; once its containers are stopped the agent sends its status with `finalized: true` and the hub removes it.',
    "- `spec.ephemeralContainers` is there only when the pod has some (added through `pods/{name}/ephemeralcontainers`, i.e. `kubectl debug`); a later state may add more but never changes or removes one. The gateway starts each once in the pod's running sandbox, never again (not after an agent restart either), with `stdin`/`tty` as given and, with `targetContainerName`, in that container's process namespace, and reports it in `status.ephemeralContainerStatuses`.",
    '- `configMaps`, `secrets`: the ones those pods reference (env, envFrom, volumes, projected volumes, imagePullSecrets) that exist, trimmed the same way. Lists are sorted by namespace/name.',
    `- \`podCIDR\`: the node's IPv4 pod network (a /8 to /30), when node IPAM gave it one. \`podCIDRs\`: as in Node.spec (informational). \`segment\`: the node's network segment (below); absent: no pod routes. \`digest\`: an opaque string (at most ${maxDigestLength} characters) that names this content; keep it with the state. At most ${routes.desired.maxBytes / 1024 / 1024} MiB.`,
    '',
    '### Own state: the delta',
    '',
    '- `protocol`, `node` as in the snapshot; `from`: the revision it applies to; `revision`: the revision after it.',
    '- `set.pods`, `set.configMaps`, `set.secrets`: objects added or changed, whole, in the snapshot\'s shape: each replaces the object of the same namespace/name. `removed.pods`, `removed.configMaps`, `removed.secrets`: `"namespace/name"` of objects gone. A list without changes is left out.',
    '- `network`: when the pod network or segment changed, all of `podCIDR`, `podCIDRs`, `segment` as they now are — a field left out is now absent.',
    '- `digest`: the digest of the state after it (replaces the one held; absent: none held).',
    "- `from` equal to `revision` and nothing else: the hub's answer to a resync from a gateway that is current.",
    '',
    "### Applying own state (the gateway's rules)",
    '',
    `- A **snapshot** with \`revision\` greater than the one held (or with nothing held) replaces what is held. The same revision: publish \`ack\` again (the hub may have missed it). A lower one: ignore it (the retained copy may lag behind the deltas).`,
    '- A **delta** with `revision` not above the one held: ignore it (a redelivery or a late copy), and when it equals the one held, `ack` it again. With `from` equal to the revision held: apply it and `ack` its `revision`. Anything else is a **gap** (a delta was lost): publish `resync` with `appliedRevision` (the revision held) once, ignore further deltas, and wait for the snapshot that answers it.',
    '- `ack`: `{revision, observedAt}` after the state is kept in flash and handed to the runtime; with `error` when it could not be applied (the hub logs it). An empty message on `desired` means the Node was deleted: keep running what was applied until told otherwise.',
    '- Keep the own state and the shared objects in flash: after a reboot with the hub unreachable the gateway runs its pods, Services and routes from them.',
    '',
    '### Connecting (the desired-state part)',
    '',
    `- After every CONNACK, after \`register\`: SUBSCRIBE (QoS 1) to the node's own hub → agent topics (${own(routes.desired)}, ${own(routes.desiredDelta)}, requests, …). When the CONNACK's session-present flag is 0 (the broker has no subscriptions for it) also to \`flotilla/v1/shared/services/+/+\`, \`flotilla/v1/shared/endpointslices/+/+\` and, once the own state names a segment, its routes (e.g. \`${segmentSubscription('site-hall-3').filter}\`). With session present the broker kept those subscriptions and queued what changed meanwhile.`,
    '- Then always publish `resync` `{observedAt, appliedRevision?, appliedDigest?, reason?}` (`appliedRevision`: the revision held, `appliedDigest`: the `digest` held; each left out when none): deltas may have been lost with the connection. The hub answers with an empty delta when `appliedRevision` is current, else with a snapshot. A hub that restarted knows no revision: it answers with an empty delta when `appliedDigest` names the state it would send (so a fleet returning to a restarted hub is not sent its whole state again), else with a snapshot. The retained snapshot that comes with SUBSCRIBE may be older than the answer; the rules above handle either order.',
    `- Then, when the own state held names a segment and that segment's route subscription is in place (made in this SUBSCRIBE, or kept with the session), publish \`routesResync\` \`{segment, digest}\`: that segment and the digest of the routes held (below). Asking only once subscribed means no change can fall between the set and the changes after it; a segment not subscribed yet is asked for when it is (below). The hub answers on \`${buildTopic(routes.routeSet, { node })}\` with the segment's whole set when its digest differs, and not at all when it matches or when the node is no longer in that segment (the own state will name the new one). The request is about 80 bytes of payload (120 with its topic); a gateway holding the current set is sent nothing.`,
    '- A new subscription to the Service and EndpointSlice topics brings every current object as a retained message; objects deleted while the gateway had no session never come: after that burst (the agent waits until 1 s passes without a shared message) drop every Service and EndpointSlice held that was not repeated. Pod routes are not part of it.',
    "- When the own state's `segment` changes: UNSUBSCRIBE the old segment's filter, drop its routes, SUBSCRIBE to the new one, and once granted publish `routesResync` for it.",
    '',
    '### Shared objects',
    '',
    "- **Service**: a v1 Service trimmed like pods, keeping `status.loadBalancer.ingress` (the proxy needs it) and `metadata.resourceVersion`. **EndpointSlice**: a discovery.k8s.io/v1 EndpointSlice, trimmed, with `metadata.resourceVersion`. Keep one copy per topic; replace it unless the new copy's resourceVersion (a decimal string; compare as a number) is lower; an empty message deletes it. Published only when what a gateway sees changed.",
    "- **Pod route** `{node, podCIDR, via}`: traffic to `podCIDR` goes via `via`, that gateway's InternalIP (host-gw: `ip route replace <podCIDR> via <via>`); never a route to the gateway's own podCIDR. An empty message: remove the route. Apply a route message only when its segment is the one followed.",
    "- **Route set** `{segment, digest, routes}`: every other gateway's route in `segment`; when `segment` is the one followed, it replaces every route held (routes held and not in it are removed). Sent only in answer to `routesResync`.",
    `- **Route digest**: sha-256 over one line per route held, \`node podCIDR via\` and a newline (\`\\n\`), the lines in the order of the node names (byte order), encoded base64url without padding (43 characters); no routes: the digest of nothing. The gateway's own route is never in it. E.g. the one route \`gw-18 10.42.18.0/24 192.168.10.18\` gives \`${podRoutesDigest([{ node: 'gw-18', podCIDR: '10.42.18.0/24', via: '192.168.10.18' }])}\`.`,
    "- **Segment**: `site-<value>` of the Node's `flotilla.io/site` label when it has one (the operator knows which gateways share a LAN), else `ipv4-<a.b.c>.0-24`, the /24 of its first IPv4 InternalIP. host-gw needs the next hop on the same L2 segment, so gateways get the routes of their own segment only; gateways on one LAN larger than a /24 need the same `flotilla.io/site` label to reach each other's pods.",
    '',
    '### Versioning',
    '',
    `- The snapshot, the delta and \`register\` carry \`protocol\`; this document describes protocol ${protocolVersion} (topics stay under \`flotilla/v1\`; protocol 1 put every Service, EndpointSlice and pod route into each gateway's \`desired\`; protocol 2 retained each pod route and had no \`routesResync\`). A registration without \`protocol\` counts as 1.`,
    `- A hub refuses a registration of another protocol: the hub logs it, the gateway gets on \`refused\`: \`${protocolMismatch(1, 'hub')}\` (the Node is not created or refreshed). An agent refuses a desired state of another protocol with one log line, e.g. \`${protocolMismatch(1, 'agent')}\`, and an \`ack\` carrying that error.`,
    '',
    '### What is retained',
    '',
    '- Retained: presence, the own-state snapshot, each Service and EndpointSlice, and the dashboard summaries. Not retained: deltas, pod routes and route sets, acks, resyncs, requests, replies, refusals, status and events.',
    '',
  ];
}
