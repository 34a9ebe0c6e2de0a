// The API relay's part of firmware-notes/protocol.md (rendered by protocol-doc.ts): what a
// gateway that serves the Kubernetes API to its pods must send and may expect.
import {
  relayBodyMaxBytes,
  relayChunkBytes,
  relayedReplyHeaders,
  relayedRequestHeaders,
  relayGatewayLimits,
} from './payloads/api-relay.js';

const list = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

export function apiRelaySection(): string[] {
  return [
    '## The Kubernetes API for pods (API relay)',
    '',
    '- Pods on a gateway reach the API as `kubernetes.default.svc` (the `kubernetes` Service in `default`, ClusterIP the first address of the service CIDR, port 443). The gateway points that ClusterIP at a relay of its own and carries each HTTP request to the hub on `api/requests`: `{id, method, path, headers, body?, encoding?}`, `path` with the query as the pod sent it, `headers` only ' +
      `${list(relayedRequestHeaders)} (lower case; a list for a repeated header), the body at most ${relayBodyMaxBytes / 1024 / 1024} MiB (\`encoding: "base64"\` when it is not UTF-8).`,
    "- The hub runs the request through its API server as a request from the network, authenticated **only** by the pod's `authorization` header: the gateway's own identity never counts, so a request without a token is anonymous (401) and RBAC decides as for any client (403 in Kubernetes' words). Impersonation headers are authorized for the token's user.",
    `- The answer comes on \`api/replies/{id}\` in chunks numbered from 0: chunk 0 carries \`status\` and \`headers\` (${list(relayedReplyHeaders)}), then the body in \`data\` chunks of at most ${relayChunkBytes / 1024} KiB, the last one \`end: true\`; \`error\` instead when the hub could not run the request at all. A watch streams until the gateway sends \`api/cancel\` \`{id}\` (the pod left), or its session ends (presence offline): the hub stops every request of a gateway that went offline. Per gateway at most ${relayGatewayLimits.maxRequests} requests and ${relayGatewayLimits.maxWatches} watches run at once; beyond, the answer is a 429 Status.`,
    "- Serving certificate: the gateway sends `api/serving-cert/request` `{publicKeyPem}` (its own ECDSA P-256 key, SPKI PEM; the private key never leaves it) after connecting when it has none or less than 30 days are left; the hub answers on `api/serving-cert` with `{certPem, caPem, clusterIP}`, a serverAuth certificate signed by the hub's CA (the pods' `ca.crt`) for `kubernetes`, `kubernetes.default`, `kubernetes.default.svc`, `kubernetes.default.svc.cluster.local` and the ClusterIP, subject `system:node:<node>`, valid 90 days; or `{error}`. The names are the hub's choice; at most one request per gateway every 10 s is answered.",
    "- Offline (a gateway's own business, not on the wire): the Flotilla agent answers a read (GET of an object or a list) that the same token made while the hub was reachable from its cache of the hub's last 2xx answer, body as it was (so its `resourceVersion`), with a `Warning` header saying since when; holds a watch of a collection that token listed open without events and ends it when the hub is back; and answers everything else with 503 ServiceUnavailable naming since when the hub is unreachable.",
    '',
  ];
}
