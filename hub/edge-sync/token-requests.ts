import type { Logger } from '../../api/logger.js';
// A gateway's request for the ServiceAccount token of one of its pods (route tokenRequest): the
// node restriction kube's NodeRestriction admission applies to a kubelet's TokenRequest — the
// pod must be bound to that gateway and be the pod of that uid — then a token bound to the pod,
// for its ServiceAccount, with the projection's audience and lifetime, answered on the node's
// own tokens/replies/{id} topic.
import { encodePayload } from '../../api/mqtt/codec.js';
import type {
  TokenReplyPayload,
  TokenRequestPayload,
} from '../../api/mqtt/payloads/service-account-token.js';
import { buildTopic, routes } from '../../api/mqtt/route-table.js';
import { bindTokenRequest } from '../apiserver/handlers/token-request.js';
import type { Registry } from '../apiserver/registry/registry.js';
import type { TokenIssuer } from '../serviceaccount/token-issuer.js';
import type { PublishFn } from './publish.js';

export interface TokenRequestDeps {
  registry: Registry;
  issuer: TokenIssuer;
  publish: PublishFn;
  log: Logger;
}

export function tokenRequestHandler(
  deps: TokenRequestDeps,
): (node: string, request: TokenRequestPayload) => Promise<void> {
  return async (node, request) => {
    const reply = (payload: TokenReplyPayload) =>
      deps.publish(buildTopic(routes.tokenReply, { node, id: request.id }), encodePayload(payload), {
        qos: routes.tokenReply.qos,
        retain: false,
      });
    try {
      const issued = await issueFor(deps, node, request);
      reply({
        id: request.id,
        token: issued.token,
        expirationTimestamp: issued.expirationTimestamp.getTime(),
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      deps.log.warn(`token for ${request.namespace}/${request.pod} refused to node ${node}: ${message}`);
      reply({ id: request.id, error: message });
    }
  };
}

async function issueFor(deps: TokenRequestDeps, node: string, request: TokenRequestPayload) {
  const { namespace, pod: name, uid } = request;
  const pod = await deps.registry.store.get('pods', { namespace, name });
  const spec = (pod?.spec ?? {}) as { nodeName?: string; serviceAccountName?: string };
  // One answer for "no such pod" and "not yours": a gateway learns nothing of other nodes' pods.
  if (!pod || spec.nodeName !== node) throw new Error(`no pod ${namespace}/${name} is bound to node ${node}`);
  if (pod.metadata.uid !== uid) throw new Error(`pod ${namespace}/${name} is not the pod of uid ${uid}`);
  const bound = await bindTokenRequest(deps.registry, namespace, spec.serviceAccountName ?? 'default', {
    audiences: request.audience ? [request.audience] : [],
    expirationSeconds: request.expirationSeconds,
    boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name, uid },
  });
  return deps.issuer.issue(bound);
}
