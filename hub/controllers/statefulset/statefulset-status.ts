// A StatefulSet's status from the pods it controls (kube's computeReplicaStatus and
// completeRollingUpdate): replicas counts every pod, current and updated those at each revision;
// once every pod is at the update revision and ready, the update revision becomes current.
import { isDeepStrictEqual } from 'node:util';
import type { Pod } from '../objects/kinds.js';
import { isPodAvailable, isPodTerminating } from '../objects/pod-conditions.js';
import { podRevision, type StatefulSet, type StatefulSetStatus } from './stateful-pod.js';
import { isRunningAndReady, type Revisions } from './statefulset-plan.js';

export function statefulSetStatus(
  set: StatefulSet,
  pods: readonly Pod[],
  revisions: Revisions,
  now: Date,
): StatefulSetStatus {
  const minReady = set.spec.minReadySeconds ?? 0;
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const pod of pods) {
    replicas++;
    if (isRunningAndReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
    if (isPodTerminating(pod)) continue;
    if (podRevision(pod) === revisions.current) current++;
    if (podRevision(pod) === revisions.update) updated++;
  }
  const rolledOut =
    set.spec.updateStrategy?.type !== 'OnDelete' && updated === replicas && ready === replicas;
  return {
    observedGeneration: set.metadata.generation ?? 0,
    replicas,
    readyReplicas: ready,
    currentReplicas: rolledOut ? updated : current,
    updatedReplicas: updated,
    availableReplicas: available,
    currentRevision: rolledOut ? revisions.update : revisions.current,
    updateRevision: revisions.update,
    collisionCount: set.status?.collisionCount ?? 0,
  };
}

export function statefulSetStatusChanged(set: StatefulSet, next: StatefulSetStatus): boolean {
  const { conditions: _conditions, ...current } = (set.status ?? {}) as StatefulSetStatus & {
    conditions?: unknown;
  };
  return !isDeepStrictEqual(current, next);
}
