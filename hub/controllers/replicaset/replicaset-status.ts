// A ReplicaSet's status from the active pods it controls (kube's calculateStatus for
// ReplicaSets): counts, observedGeneration, and a ReplicaFailure condition while creating or
// deleting pods fails.
import { isDeepStrictEqual } from 'node:util';
import { findCondition, newCondition, removeCondition, setCondition } from '../objects/conditions.js';
import { type Pod, type ReplicaSet, type ReplicaSetStatus, specReplicas } from '../objects/kinds.js';
import { isPodAvailable, isPodReady } from '../objects/pod-conditions.js';

export const replicaFailure = 'ReplicaFailure';

export function replicaSetStatus(
  rs: ReplicaSet,
  active: readonly Pod[],
  manageError: unknown,
  now: Date,
): ReplicaSetStatus {
  const templateLabels = Object.entries(rs.spec.template?.metadata?.labels ?? {});
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of active) {
    const labels = pod.metadata.labels ?? {};
    if (templateLabels.every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions = rs.status?.conditions;
  const failing = findCondition(conditions, replicaFailure);
  if (manageError !== undefined && !failing) {
    const diff = active.length - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    conditions = setCondition(conditions, newCondition(replicaFailure, 'True', reason, message, now, false));
  } else if (manageError === undefined && failing) {
    conditions = removeCondition(conditions, replicaFailure);
  }
  return {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation ?? 0,
    ...(conditions && conditions.length > 0 ? { conditions } : {}),
  };
}

/** Whether writing `next` would change anything (kube skips no-op status updates). */
export function replicaSetStatusChanged(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const current = rs.status ?? {};
  const normalize = (s: ReplicaSetStatus) => ({
    replicas: s.replicas ?? 0,
    fullyLabeledReplicas: s.fullyLabeledReplicas ?? 0,
    readyReplicas: s.readyReplicas ?? 0,
    availableReplicas: s.availableReplicas ?? 0,
    observedGeneration: s.observedGeneration ?? 0,
    conditions: s.conditions ?? [],
  });
  return !isDeepStrictEqual(normalize(current), normalize(next));
}
