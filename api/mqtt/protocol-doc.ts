// Renders firmware-notes/protocol.md from the route table, the payload examples and the
// credentials rules, so the document cannot drift from what the hub enforces
// (test/unit/mqtt/protocol-doc.test.ts fails when the committed file differs).
import { describeIdentity, type Identity, maySubscribe } from './access.js';
import { agentConnectTimeoutMs, agentSubscriptions, maxOfflineMessages } from './agent-session.js';
import { apiRelaySection } from './api-relay-doc.js';
import { dashboardUsername, nodeKeyPattern } from './credentials.js';
import { desiredStateSection } from './desired-state-doc.js';
import { gatewayRouteLimits, maxWaitingItems } from './gateway-rate-limits.js';
import { payloadExamples } from './payload-examples.js';
import { protocolVersion } from './payloads/desired-state.js';
import { maxEventItems } from './payloads/events.js';
import { requiredNodeLabels } from './payloads/node-registration.js';
import { maxPodStatusItems } from './payloads/pod-status.js';
import { inputAckBytes, inputWindowBytes } from './payloads/requests.js';
import { buildTopic, type Route, type RouteName, routeList, routes, wildcardFilter } from './route-table.js';

export const regenerateCommand = 'npm run docs:protocol';

const directionText = {
  'agent-to-hub': 'agent → hub',
  'hub-to-agent': 'hub → agent',
  'hub-to-fleet': 'hub → every gateway',
  'hub-to-dashboard': 'hub → dashboards',
};

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${bytes / (1024 * 1024)} MiB`;
  return bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

/** Who may read a route, worked out by asking the access rules about its wildcard filter. */
function readers(route: Route): string {
  const who: Identity[] = [{ role: 'hub' }, { role: 'dashboard' }];
  const names = who.filter((w) => maySubscribe(w, wildcardFilter(route)).allowed).map(describeIdentity);
  if (route.direction === 'hub-to-agent') names.push('the node itself');
  if (route.direction === 'hub-to-fleet') names.push('every gateway');
  return names.join(', ');
}

function topicTable(): string[] {
  const rows = routeList.map(
    (r) =>
      `| \`${r.pattern}\` | ${directionText[r.direction]} | ${r.qos} | ${r.retain ? 'yes' : 'no'} | ${size(r.maxBytes)} | ${readers(r)} | ${r.description} |`,
  );
  return [
    '| Topic | Direction | QoS | Retain | Max payload | Read by | Purpose |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ];
}

function payloadSections(): string[] {
  return (Object.keys(routes) as RouteName[]).flatMap((name) => {
    const route: Route = routes[name];
    return [
      `### ${name}`,
      '',
      `\`${route.pattern}\` — ${directionText[route.direction]}, QoS ${route.qos}${route.retain ? ', retained' : ''}, at most ${size(route.maxBytes)}.`,
      '',
      route.description,
      '',
      '```json',
      JSON.stringify(payloadExamples[name], null, 2),
      '```',
      '',
    ];
  });
}

const example = { node: 'gw-17' };

function transportSecurity(): string[] {
  return [
    '## Transport security (TLS and the CA pin)',
    '',
    "- The broker's certificate is issued by the hub's own CA (`DATA_DIR/pki/ca.crt`, ECDSA P-256) and covers `localhost`, the hub's host name, its addresses and every `--tls-san` name. The broker sends its certificate followed by the CA certificate. TLS 1.2 or 1.3.",
    `- A gateway is given a **join string**, the content of the hub's \`DATA_DIR/node-token\`: \`<token>::sha256:<64 hex digits>\`. The part before \`::\` is the join token (opaque; it never contains \`::\`); the part after is the pin of the hub's CA: SHA-256 of the CA certificate's DER SubjectPublicKeyInfo, lower-case hex — what kubeadm pins with \`--discovery-token-ca-cert-hash\`. By hand: \`openssl x509 -in ca.crt -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum\`.`,
    "- First connection (no CA stored yet): open TLS without verifying, take the chain the broker presents, and find in it — linked from the broker's certificate by issuer — a CA certificate whose SPKI hash is the pin. None: close the connection without sending any MQTT packet (the CONNECT carries the token), log it, and retry with back-off (a misrouted network is not fatal). Found: store that CA certificate in flash and close.",
    "- Every connection, the first included, is then an ordinary verified TLS connection with the stored CA as the only trust anchor: signature chain, validity dates and the host name or IP against the certificate's subjectAltName. Only after the handshake is verified does the gateway send CONNECT.",
    '- A gateway that already holds the CA may be given a bare token, or the CA file directly (`--hub-ca-file`). A new hub (new CA) needs a new join string; a stored CA that does not match the pin of the join string given is looked up again.',
    '',
  ];
}

function prose(): string[] {
  return [
    '## Connecting',
    '',
    '- MQTT 3.1.1 (protocol level 4) over TLS (hub flag `--mqtt-port`, default 8883, the IANA port for MQTT over TLS) or over WebSocket over TLS, `wss://` (`--mqtt-ws-port`, off by default). No MQTT 5 feature is needed.',
    '- Plain MQTT without TLS exists only when the hub is started with `--mqtt-insecure-port N` (off by default): the bootstrap token, the node key and the Secrets in the desired state then cross the network in clear.',
    `- **Gateways**: client id \`node:<node name>\`, username \`<node name>\`, password \`<bootstrap token>:<node key>\` or the node key alone. The bootstrap token is the part of the join string before \`::\` (see below). The node key is the gateway's credential: a random secret it generates once and keeps private (${nodeKeyPattern.source}, e.g. 32 random bytes in base64url; the agent keeps it in \`DATA_DIR/node-key\`, 0600).`,
    "- **First join.** A node name that has no key bound yet is accepted only with a valid bootstrap token (`[a-z0-9]{6}.[a-z0-9]{16}`, the hub's `DATA_DIR/node-token` or one from `flotilla token create`; not expired, not deleted). The hub then binds the name to the key (it stores the key's SHA-256 in the Secret `<node name>.node-key.flotilla` in `kube-system`).",
    '- **Every later CONNECT** is checked against that binding, whether or not the gateway is online: the right key is accepted with or without a token (the token may have expired or been deleted since), another key is refused with CONNACK 5 (not authorized) even with a valid token. The same key connecting again takes the session over (a half-open old connection): the broker closes the old network connection without sending it anything (MQTT 3.1.1 has no DISCONNECT from the server), QoS 1 messages not yet acknowledged on it are delivered again on the new one (the session is persistent), and neither the Last Will of the old connection nor anything it still publishes counts for the node (a publish is refused and closes it). After its first CONNACK 0 a gateway needs the token no more (firmware may drop it; the agent keeps sending the one it was started with, which is then ignored).',
    "- **Refusals**: CONNACK 4 (bad username or password): the name has no bound key and the token is missing, unknown, deleted or expired — the gateway needs a new bootstrap token. CONNACK 5: the name is bound to another key — another gateway has this name. CONNACK 2: the client id is not `node:<username>`. The reason is in the hub's log, never sent to the client. While the hub is starting (loading its store, starting edge sync and its controllers) the broker does not listen, so connections are refused at TCP: retry, as for a hub that is down — a refused connection costs the hub nothing, so the agent waits at most 5 s between such attempts (1, 2, 4, 5, 5 s… with ±20% jitter), and backs off exponentially to 30 s only after attempts the hub answered (TLS failure, CONNACK refusal, timeout); after a hub restart every gateway has to connect again anyway (the broker's sessions live in the hub's memory), and its state comes as the answer to its `resync`.",
    '- **Revocation.** Deleting the Node (`kubectl delete node <name>`) deletes its binding and closes its session at once; the gateway must join again with a valid bootstrap token (and may then present a new key).',
    `- Sessions are persistent (clean session off); keep-alive 30 s or less. Wait ${agentConnectTimeoutMs / 1000} s for CONNACK before giving an attempt up (the agent does): a restarted hub takes its whole fleet back in the order the connections arrived, and a gateway that gives up early only joins the queue again later. Last Will: \`${buildTopic(routes.presence, example)}\`, payload \`{"state":"offline"}\`, QoS 1, retained. While a gateway is offline the broker keeps at most ${maxOfflineMessages.toLocaleString('en-US')} QoS 1 messages for it, and none after that: what a short blip missed arrives right after CONNACK, and after a long absence the connect sequence below (SUBSCRIBE, resync, routesResync) brings it up to date.`,
    `- After every CONNACK the agent publishes presence \`{"state":"online","since":…}\` (retained), then \`register\` and subscribes (QoS 1) to ${agentSubscriptions(
      example.node,
    )
      .map((s) => `\`${s.filter}\``)
      .join(
        ', ',
      )} (the token replies before \`register\`, the rest after: see the next point), then sends heartbeats. Before a clean DISCONNECT it publishes presence offline itself (a Will is not sent on a clean disconnect).`,
    '- In full, after every CONNACK and in this order, each QoS 1 publish waiting for its PUBACK before the next: presence online, SUBSCRIBE to `tokenReply` (a pod starting meanwhile may ask for its token; gathering the facts of the node for `register` can take seconds), `register`, SUBSCRIBE, `resync`, `routesResync` (when the own state names a segment), a node status (sent even when unchanged), then what was queued while offline (pod statuses, events), oldest first. Heartbeats run on their own 10 s timer whenever connected.',
    '- **Presence offline** comes from the broker itself too: whenever a gateway\'s current session ends (clean DISCONNECT, dropped socket, keep-alive timeout) the broker publishes the retained `{"state":"offline","since":<ms, hub clock>}` on the node\'s presence topic. The Will (`{"state":"offline"}`, no `since`) is then a duplicate; the hub takes its own clock for a presence without `since`. Offline marks the Node Ready=Unknown at once and its pods Ready=False (reason NodeUnreachable) — when that session had announced itself with presence online; a connection that ended before (one that gave up waiting for its CONNACK, say) leaves the Node to the grace period below.',
    `- **Registration** (\`register\`) must carry \`observedAt\`, \`labels\` with ${requiredNodeLabels.map((l) => `\`${l}\``).join(', ')} (\`kubernetes.io/arch\` equal to \`nodeInfo.architecture\`, a GOARCH name such as arm64), \`capacity\` and \`allocatable\` (Kubernetes quantity strings), \`nodeInfo.architecture\` and \`nodeInfo.operatingSystem\`, and at most 16 \`addresses\` (InternalIP, ExternalIP, Hostname, InternalDNS, ExternalDNS); anything else refuses the whole message. It creates the Node (or refreshes its labels, capacity, addresses and nodeInfo) and sets Ready=True. \`taints\` are applied only when the Node is created (kubelet's --register-with-taints) and must be chosen with care: a \`NoSchedule\` taint keeps every pod without a matching toleration off the gateway, DaemonSets included unless they tolerate it. The InternalIP (IPv4) is where the other gateways of its segment route this gateway's pods (see Desired state, pod routes). An optional \`hardwareModel\` (at most 256 characters: the device tree's model on ARM boards, the DMI product elsewhere) becomes the Node's annotation \`flotilla.io/hardware-model\`, from which the hub's site cloud provider derives \`node.kubernetes.io/instance-type\`.`,
    '- **Pod network.** The hub gives every Node one block of its `--cluster-cidr` (default 10.42.0.0/16, one /24 per gateway: 256 gateways; start the hub with a larger one, e.g. `--cluster-cidr 10.64.0.0/10`, for more). It arrives as `podCIDR` in the desired state. When the cluster CIDR has no block left, the Node gets none (the hub logs `no pod CIDR left in …` and retries): the gateway reports `NetworkUnavailable=True`, the Node is tainted `node.kubernetes.io/network-unavailable:NoSchedule` and only host-network pods run there.',
    `- **Dashboards**: TLS with the hub's CA file (\`DATA_DIR/pki/ca.crt\`), username \`${dashboardUsername}\`, password from \`DATA_DIR/dashboard-token\`, any client id not starting with \`node:\` or \`hub:\`. Read-only: \`flotilla/v1/summary/#\` and presence topics.`,
    "- A gateway publishes only its own node's agent → hub topics and subscribes only to its own hub → agent topics and the shared `flotilla/v1/shared/…` topics; a refused publish closes the connection, a refused subscription gets 0x80 in its SUBACK, and the hub logs both. A payload that is larger than its topic allows or fails validation is acknowledged and dropped (never a closed connection), with a log line naming topic and client, and the gateway is told why on its own `refused` topic.",
    "- A gateway registers only its own facts: labels it set itself it may change or remove (the Node's annotation `flotilla.io/agent-labels` lists them); labels an admin set, and `node-restriction.kubernetes.io/` keys, it can neither set, overwrite nor remove (logged); a pod status item whose `podIP`/`podIPs` lie outside the Node's `spec.podCIDR` is refused like a foreign pod's (host-network pods aside).",
    '',
    ...transportSecurity(),
    '## Payloads',
    '',
    "- UTF-8 JSON objects. Times are milliseconds since the Unix epoch on the gateway's clock (`observedAt`, `t`). Unknown fields are ignored, so agents may send more than is listed here.",
    '- Every status carries when it was observed; status produced while offline is queued by the agent and sent in order after reconnect. The hub never lets an older pod status overwrite a newer one.',
    '- An empty retained message clears a retained topic (a node, workload or shared object that is gone): dashboards ignore it, a gateway deletes its copy of that shared object (see Desired state).',
    `- Batches (\`items\` of \`pods/status\`, at most ${maxPodStatusItems}; of \`events\`, at most ${maxEventItems}) are checked item by item: a bad item is refused alone and the rest applied. A batch over its item count or its topic's byte limit, or whose \`items\` is not an array, is refused whole: split large updates. What the hub did not apply — a whole message, or items by their index in \`items\` — comes back on \`${routes.refused.pattern}\` with a field-qualified reason, e.g. \`items[3].status.phase: Unsupported value: …\`. Items the API server refuses (422) or that are not the gateway's own are refused the same way. Nothing needs resending.`,
    rateLimits(),
    '',
    '## Liveness and node status',
    '',
    "- `heartbeat` every 10 s (QoS 0): `t` is when it was sent (gateway clock), `s` a sequence number counting up from 0 since the agent started (required; for the operator, the hub does not act on it). It renews the Node's Lease in `kube-node-lease` (leaseDurationSeconds 40); on a Node the hub had marked unreachable it also gives the conditions back at once (below).",
    "- `status` (node status): conditions (Ready, NetworkUnavailable, MemoryPressure, DiskPressure, PIDPressure with kubelet's reasons), capacity, allocatable. The agent collects it every 30 s and sends it when it changed, when the last one sent is 5 minutes old, after every CONNACK, and 1 s and 3 s after its pod network was (re)configured. The hub writes a status (or the status part of a `register`) that changes nothing but the conditions' heartbeat times only when the stored ones are 5 minutes old (liveness is the heartbeat's), and ignores a status older than one it has seen. A `register` leaves a Ready that is True with the reason and message of the last node status. Report `NetworkUnavailable=False` only once the pod network for `podCIDR` is up: until then the Node keeps the network-unavailable taint and no ordinary pod is scheduled there.",
    '- Ready=Unknown (presence offline, or no Lease renewal for `--node-monitor-grace-period`, 40 s; for a gateway not heard from since the hub started or since it joined, `--node-startup-grace-period`, 120 s) is cleared by `register`, by a node status, or by the next heartbeat: the conditions the hub turned Unknown go back to what the gateway last reported in a node status since the hub started (Ready=True, reason KubeletReady, when there is none), and the next node status confirms them.',
    '',
    '## Pod status',
    '',
    "- The hub stores the gateway's `status` of a pod **whole** (only PodScheduled, DisruptionTarget and its own `flotilla.io/StatusObserved` condition are kept from before). Send everything kubelet would: `phase`, all four kubelet conditions (PodReadyToStartContainers, Initialized, ContainersReady, Ready) with `lastTransitionTime`, `hostIP`/`hostIPs` (the gateway's InternalIP), `podIP`/`podIPs`, `startTime`, and a `containerStatuses` entry per container (`state`, `ready`, `started`, `restartCount`, `image`, `imageID`, `containerID`), likewise `initContainerStatuses` and, only for a pod with ephemeral containers, `ephemeralContainerStatuses`. A field left out is gone from the stored pod.",
    "- Pod IPs are the gateway's to allocate, from its Node's `podCIDR` (the desired state carries it; the agent's CNI bridge takes the first address, host-local IPAM the rest). An item with a `podIP`/`podIPs` outside the Node's `spec.podCIDR` is refused (host-network pods report the node's address).",
    '- Deleting a pod: it stays in the desired state with `metadata.deletionTimestamp`; the gateway stops its containers (within `spec.terminationGracePeriodSeconds`), then sends the item with `finalized: true` next to `status` (`{namespace, name, uid, observedAt, status, finalized: true}`): the hub then deletes the pod for good.',
    "- After each return to the hub (a desired state received on a new connection) send every pod's current status again, not only what changed: statuses in flight when the connection dropped may be lost, and while the gateway was unreachable the hub marked its pods Ready=False. An item for a pod not bound to this node, or with another `uid`, is refused; an older `observedAt` than the stored one is dropped silently.",
    '',
    ...desiredStateSection(),
    '## Requests and streamed answers',
    '',
    "- The hub publishes a request (`requests/logs`, `requests/exec`, `requests/attach`, `requests/portforward`, `requests/metrics`) with an `id` (one topic level, [A-Za-z0-9_-]{1,64}), a `replyTo` and a `deadline` (ms since the epoch; the hub sets it 10 s ahead, its wait for a first answer). `replyTo` is always the node's own `replies/{id}` topic, the only reply topic the broker lets the gateway publish on: a request naming any other topic is ignored. A request received after its `deadline` is answered with a single end chunk carrying `error`.",
    '- The agent answers with chunks `{id, seq, data, stream?, encoding?}` numbered from 0, each at most 8 KiB of data (`encoding: "base64"` for bytes that are not UTF-8), and a final chunk with `end: true` (and `error` or `exitCode` where it applies). `requests/cancel` stops a stream; the input of exec, attach and port-forward arrives on `stdin/{id}` as chunks of the same shape (`data`, `resize`, `end: true` for end of input), numbered by their own `seq`. The hub gives up on a request that stays silent for 10 s: a long stream sends an empty chunk after 5 s without output.',
    `- Exec, attach and port-forward start with a chunk once the command runs or the connection is made (the hub answers the client only then); in it, \`inputBytes: 0\` says the gateway acknowledges input. It then reports in later chunks the total input bytes it has passed on (\`inputBytes\`, each time another ${inputAckBytes / 1024} KiB has left it); the hub sends at most ${inputWindowBytes / 1024 / 1024} MiB of input ahead of that count. A gateway that never sends \`inputBytes\` gets its input without that limit. A gateway should also stop reading a stream's source while its own published chunks wait for PUBACKs (the Flotilla agent pauses past 256 KiB).`,
    "- Attach joins a running container's own process (`stdin`, `stdout`, `stderr`, `tty` as asked); it ends when the process ends or on cancel, which leaves the process running. Port-forward is one TCP connection to `port` on the pod's own localhost, its bytes as `data` chunks both ways; `end: true` on `stdin/{id}` half-closes towards the pod, and the answer ends when the pod closed the connection.",
    '- Metrics: one JSON document, a metrics.k8s.io/v1beta1 `NodeMetricsList` (`scope: node`, one item for the node) or `PodMetricsList` (`scope: pods`, one item per pod with its containers), each item with `timestamp`, `window` and `usage` `{cpu, memory}` as quantities (e.g. `"12345678n"`, `"20480Ki"`); the text is split over `data` chunks in `seq` order and the hub joins them before parsing. An agent without metrics answers with an end chunk carrying `error`.',
    '',
    ...apiRelaySection(),
  ];
}

export function renderProtocolDoc(): string {
  const lines = [
    `# Flotilla MQTT protocol (topics v1, desired-state protocol ${protocolVersion})`,
    '',
    `<!-- Generated from api/mqtt/route-table.ts by \`${regenerateCommand}\`. Do not edit by hand. -->`,
    '',
    'Gateways (edge agents) and the hub talk over MQTT only; dashboards read retained summaries. Every topic is listed here with its direction, QoS, retain flag, size limit and an example payload.',
    '',
    ...prose(),
    '## Topics',
    '',
    ...topicTable(),
    '',
    '## Topic payloads',
    '',
    ...payloadSections(),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The per-gateway rate limits, from the table the hub applies. */
function rateLimits(): string {
  const routeOf: Record<string, string> = {
    events: 'events',
    podStatus: 'pod status items',
    nodeStatus: 'node status',
    register: 'registration',
    presence: 'presence',
  };
  const rate = (name: string) => {
    const limit = gatewayRouteLimits[name]!;
    return `${routeOf[name] ?? name} ${limit.perSecond}/s after a burst of ${limit.burst}`;
  };
  const names = Object.keys(gatewayRouteLimits);
  const dropped = names.filter((n) => gatewayRouteLimits[n]!.overflow === 'drop');
  const delayed = names.filter((n) => gatewayRouteLimits[n]!.overflow === 'coalesce');
  return `- **Rate limits**, per gateway, counted in items: ${dropped.map(rate).join(', ')} — beyond that they are dropped and refused (reason \`dropped: over the gateway's events rate limit …\`); ${delayed.map(rate).join(', ')} — beyond that they are delayed, never lost: the newest per pod (per node) waits and is applied as the limit allows, and an older one it superseded meanwhile is neither applied nor refused. At most ${maxWaitingItems.toLocaleString('en-US')} pods wait per gateway; a status for one more is refused like a dropped event.`;
}
