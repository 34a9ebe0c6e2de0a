// Binding a pod to a node: set spec.nodeName and PodScheduled=True in one write (through the
// registry's `binding` subresource). POST pods/<name>/binding and the in-process scheduler
// both go through this one function.
import { conflict, type GroupResource } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { kubeTime } from './object-lifecycle.js';

const pods: GroupResource = { group: '', resource: 'pods' };

interface Condition {
  type: string;
  status: string;
  [field: string]: unknown;
}

/**
 * The pod as bound to `nodeName`. Refuses (409 Conflict, kube's wording) a pod being deleted,
 * one already on a node, or — when `uid` is given — a different pod that reuses the name.
 */
export function assignToNode(pod: KubeObject, nodeName: string, now: Date, uid?: string): KubeObject {
  const name = pod.metadata.name ?? '';
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  if (uid !== undefined && pod.metadata.uid !== uid) {
    throw conflict(
      pods,
      name,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`,
    );
  }
  if (pod.metadata.deletionTimestamp) {
    throw conflict(pods, name, 'pod is being deleted, cannot be assigned to a host');
  }
  if (spec.nodeName) throw conflict(pods, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
  const status = (pod.status ?? {}) as { conditions?: Condition[] };
  const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  conditions.push({
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: kubeTime(now),
  });
  return { ...pod, spec: { ...spec, nodeName }, status: { ...status, conditions } };
}
