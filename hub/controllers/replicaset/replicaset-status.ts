// A ReplicaSet's status from the active pods it controls (kube's calculateStatus for
// ReplicaSets): counts, observedGeneration, and a ReplicaFailure condition while creating or
// deleting pods fails.
import { isDeepStrictEqual } from 'node:util';
import { findCondition, newCondition, removeCondition, setCondition } from '../objects/conditions.js';
import { type Pod, type ReplicaSet, type ReplicaSetStatus, specReplicas } from '../objects/kinds.js';
import { isPodAvailable, isPodReady } from '../objects/pod-conditions.js';

export const replicaFailure = 'ReplicaFailure';

/** What a ReplicaSet's status counts of its pods. */
export interface PodCounts {
  replicas: number;
  fullyLabeled: number;
  ready: number;
  available: number;
}

/** The counts over `pods`, all controlled by `rs`; counts of parts add up (sumCounts). */
export function countPods(rs: ReplicaSet, pods: readonly Pod[], now: Date): PodCounts {
  const templateLabels = Object.entries(rs.spec.template?.metadata?.labels ?? {});
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  const counts: PodCounts = { replicas: pods.length, fullyLabeled: 0, ready: 0, available: 0 };
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    if (templateLabels.every(([k, v]) => labels[k] === v)) counts.fullyLabeled++;
    if (isPodReady(pod)) {
      counts.ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) counts.available++;
    }
  }
  return counts;
}

export function sumCounts(parts: readonly PodCounts[]): PodCounts {
  const sum: PodCounts = { replicas: 0, fullyLabeled: 0, ready: 0, available: 0 };
  for (const part of parts) {
    sum.replicas += part.replicas;
    sum.fullyLabeled += part.fullyLabeled;
    sum.ready += part.ready;
    sum.available += part.available;
  }
  return sum;
}

export function replicaSetStatus(
  rs: ReplicaSet,
  counts: PodCounts,
  manageError: unknown,
  now: Date,
): ReplicaSetStatus {
  let conditions = rs.status?.conditions;
  const failing = findCondition(conditions, replicaFailure);
  if (manageError !== undefined && !failing) {
    const diff = counts.replicas - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    conditions = setCondition(conditions, newCondition(replicaFailure, 'True', reason, message, now, false));
  } else if (manageError === undefined && failing) {
    conditions = removeCondition(conditions, replicaFailure);
  }
  return {
    replicas: counts.replicas,
    fullyLabeledReplicas: counts.fullyLabeled,
    readyReplicas: counts.ready,
    availableReplicas: counts.available,
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
