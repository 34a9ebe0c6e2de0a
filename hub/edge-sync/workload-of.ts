// Which workload a pod belongs to, for the dashboard summaries: its controller owner, with a
// Deployment's ReplicaSets folded into the Deployment (what a person thinks of as "the app").
// A pod without a controller is its own workload.
import type { KubeObject, OwnerReference } from '../../api/types.js';

export interface WorkloadKey {
  namespace: string;
  /** Lower-case kind: deployment, daemonset, statefulset, job, replicaset, pod, … */
  kind: string;
  name: string;
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller);
}

export function workloadOf(
  pod: KubeObject,
  replicaSet: (namespace: string, name: string) => KubeObject | undefined,
): WorkloadKey {
  const namespace = pod.metadata.namespace ?? 'default';
  const owner = controllerOf(pod);
  if (!owner) return { namespace, kind: 'pod', name: pod.metadata.name ?? '' };
  if (owner.kind === 'ReplicaSet') {
    const rs = replicaSet(namespace, owner.name);
    const deployment = rs ? controllerOf(rs) : undefined;
    if (deployment?.kind === 'Deployment') return { namespace, kind: 'deployment', name: deployment.name };
  }
  return { namespace, kind: owner.kind.toLowerCase(), name: owner.name };
}
