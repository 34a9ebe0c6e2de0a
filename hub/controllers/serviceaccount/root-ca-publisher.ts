// The `kube-root-ca.crt` ConfigMap in every namespace (kube-controller-manager's
// root-ca-cert-publisher): key `ca.crt` holds the CA bundle that verifies the API server's
// certificate, which pods read from their projected kube-api-access volume. Created with the
// namespace, put back if deleted or changed.
import { jsonEqual } from '../../../api/validation/deep-equal.js';
import type { ControllerContext } from '../runtime/controller.js';
import { NamespaceObjectController } from './namespace-object-controller.js';

export const rootCaConfigMapName = 'kube-root-ca.crt';
/** kube's annotation naming the CA's description; kept as Kubernetes writes it. */
const descriptionAnnotation = 'kubernetes.io/description';
const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export function rootCaPublisher(ctx: ControllerContext, caPem: string): NamespaceObjectController {
  const data = { 'ca.crt': caPem };
  return new NamespaceObjectController(ctx, {
    name: 'root-ca-cert-publisher',
    resource: { group: '', resource: 'configmaps' },
    objectName: rootCaConfigMapName,
    desired: (namespace) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: rootCaConfigMapName,
        namespace,
        annotations: { [descriptionAnnotation]: description },
      },
      data,
    }),
    matches: (stored) => jsonEqual(stored.data, data) && stored.binaryData === undefined,
    repair: (stored) => {
      const { binaryData: _dropped, ...rest } = stored;
      return { ...rest, data: { ...data } };
    },
  });
}
