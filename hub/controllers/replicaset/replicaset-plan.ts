// What a ReplicaSet must do to converge, as a pure function of its spec and the active pods it
// controls (kube's ReplicaSetController.manageReplicas), and the pods it creates from its
// template (controller.GetPodFromTemplate).
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import { type Pod, type ReplicaSet, specReplicas } from '../objects/kinds.js';
import { podsToDelete } from './pod-deletion-rank.js';

/** At most this many creations or deletions per sync, as kube's BurstReplicas. */
export const burstReplicas = 500;

export interface ReplicaSetPlan {
  create: number;
  remove: Pod[];
}

/**
 * `active` are the active pods the ReplicaSet controls; `related` the active pods of its whole
 * workload (siblings under the same Deployment), which rank doubled-up pods first.
 */
export function planReplicaSet(
  rs: ReplicaSet,
  active: readonly Pod[],
  related: readonly Pod[],
  now: Date,
): ReplicaSetPlan {
  const diff = active.length - specReplicas(rs);
  if (diff < 0) return { create: Math.min(-diff, burstReplicas), remove: [] };
  if (diff > 0)
    return { create: 0, remove: podsToDelete(active, related, Math.min(diff, burstReplicas), now) };
  return { create: 0, remove: [] };
}

/** A new pod for `rs`: the template's labels, annotations and spec, named `<rs>-<random>`. */
export function podFromTemplate(rs: ReplicaSet, controllerRef: OwnerReference): KubeObject {
  const template = structuredClone(rs.spec.template ?? {});
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      ...(meta.labels ? { labels: meta.labels } : {}),
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      ownerReferences: [controllerRef],
    },
    spec: template.spec ?? {},
  };
}
