// The ServiceAccount admission plugin's changes to a new pod (kube's
// plugin/pkg/admission/serviceaccount), pure: the hub looks the ServiceAccount up and hands it in.
//   - spec.serviceAccountName defaults to `default` (and the deprecated spec.serviceAccount
//     mirrors it);
//   - unless the pod or its ServiceAccount says automountServiceAccountToken: false, a projected
//     `kube-api-access-<5 chars>` volume (a bound token, the cluster CA, the namespace) is added
//     and mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every container
//     and init container that does not mount something there already (ephemeral containers
//     never get it, as in Kubernetes);
//   - a pod without imagePullSecrets gets its ServiceAccount's.
import type { KubeObject } from '../types.js';

export const defaultServiceAccount = 'default';
export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
export const apiAccessVolumePrefix = 'kube-api-access-';
/** kubelet's projected token lifetime, which the hub extends (hub/serviceaccount/token-issuer.ts). */
export const apiAccessTokenSeconds = 3607;
export const rootCaConfigMap = 'kube-root-ca.crt';

type Named = { name?: unknown; volumeMounts?: unknown };
type PodSpecShape = {
  serviceAccountName?: unknown;
  serviceAccount?: unknown;
  automountServiceAccountToken?: unknown;
  volumes?: unknown;
  containers?: unknown;
  initContainers?: unknown;
  imagePullSecrets?: unknown;
};

/** The ServiceAccount the pod runs as, after defaulting (the name admission looks up). */
export function podServiceAccountName(pod: KubeObject): string {
  const spec = (pod.spec ?? {}) as PodSpecShape;
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '')
    return spec.serviceAccountName;
  if (typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '') return spec.serviceAccount;
  return defaultServiceAccount;
}

/** The projected volume kubelet fills with the pod's token, the CA bundle and the namespace. */
export function apiAccessVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: apiAccessTokenSeconds, path: 'token' } },
        { configMap: { name: rootCaConfigMap, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    },
  };
}

/**
 * Applies the admission to `pod` in place, given its ServiceAccount. `suffix` makes the volume
 * name (5 characters, as kube's generated names).
 */
export function admitPodServiceAccount(
  pod: KubeObject,
  serviceAccount: KubeObject,
  suffix: () => string,
): void {
  if (typeof pod.spec !== 'object' || pod.spec === null) return;
  const spec = pod.spec as PodSpecShape;
  const saName = podServiceAccountName(pod);
  spec.serviceAccountName = saName;
  spec.serviceAccount = saName;
  if (!Array.isArray(spec.imagePullSecrets) || spec.imagePullSecrets.length === 0) {
    const fromSa = serviceAccount.imagePullSecrets;
    if (Array.isArray(fromSa) && fromSa.length > 0) spec.imagePullSecrets = structuredClone(fromSa);
  }
  const automount = spec.automountServiceAccountToken ?? serviceAccount.automountServiceAccountToken ?? true;
  if (automount === false) return;
  const containers = [spec.containers, spec.initContainers]
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .filter((c): c is Named => typeof c === 'object' && c !== null);
  const needing = containers.filter((c) => !mountsAt(c, serviceAccountMountPath));
  if (needing.length === 0) return;
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  const taken = new Set(volumes.map((v) => (v as Named | null)?.name));
  let name = apiAccessVolumePrefix + suffix();
  while (taken.has(name)) name = apiAccessVolumePrefix + suffix();
  spec.volumes = [...volumes, apiAccessVolume(name)];
  for (const container of needing) {
    const mounts = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
    container.volumeMounts = [...mounts, { name, readOnly: true, mountPath: serviceAccountMountPath }];
  }
}

function mountsAt(container: Named, path: string): boolean {
  const mounts = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
  return mounts.some(
    (m) => typeof m === 'object' && m !== null && (m as { mountPath?: unknown }).mountPath === path,
  );
}
