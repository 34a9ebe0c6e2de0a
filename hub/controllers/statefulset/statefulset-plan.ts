// What a StatefulSet does next, as a pure function of its spec, its revisions and the pods it
// controls (kube's defaultStatefulSetControl.updateStatefulSet). Pods are slots by ordinal:
//  1. a slot's failed or finished pod is deleted, to be made again;
//  2. an empty slot gets its pod — below the rolling update's partition from the current
//     revision, else from the update revision;
//  3. pods beyond the replicas are deleted, highest ordinal first;
//  4. RollingUpdate: the highest-ordinal pod at or above the partition not at the update
//     revision is deleted (step 2 makes it again at the new revision).
// OrderedReady does one step at a time and only while every lower pod is Running and Ready:
// it creates in order and deletes in reverse. Parallel creates and deletes all at once, but a
// rolling update still replaces one pod at a time.
import type { Pod } from '../objects/kinds.js';
import { isPodAvailable, isPodReady, isPodTerminal, isPodTerminating } from '../objects/pod-conditions.js';
import { ordinalOf, podRevision, type StatefulSet } from './stateful-pod.js';

export interface Revisions {
  /** Name of the revision pods below the partition keep. */
  current: string;
  /** Name of the revision of the set's template now. */
  update: string;
}

export interface StatefulSetPlan {
  create: { ordinal: number; revision: 'current' | 'update' }[];
  remove: Pod[];
  /** Why nothing more happens this round (for tests and debugging); '' when the plan is complete. */
  waitingFor: string;
}

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

function isHealthy(pod: Pod, minReadySeconds: number, now: Date): boolean {
  return isRunningAndReady(pod) && !isPodTerminating(pod) && isPodAvailable(pod, minReadySeconds, now);
}

export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

export function replicaCount(set: StatefulSet): number {
  return set.spec.replicas ?? 1;
}

/** The partition as an ordinal: pods below it are not updated. OnDelete updates nothing itself. */
function partitionOrdinal(set: StatefulSet): number {
  const strategy = set.spec.updateStrategy;
  if (strategy?.type === 'OnDelete') return Number.POSITIVE_INFINITY;
  return startOrdinal(set) + (strategy?.rollingUpdate?.partition ?? 0);
}

export function planStatefulSet(
  set: StatefulSet,
  pods: readonly Pod[],
  revisions: Revisions,
  now: Date,
): StatefulSetPlan {
  const plan: StatefulSetPlan = { create: [], remove: [], waitingFor: '' };
  const ordered = set.spec.podManagementPolicy !== 'Parallel';
  const minReady = set.spec.minReadySeconds ?? 0;
  const start = startOrdinal(set);
  const end = start + replicaCount(set);
  const partition = partitionOrdinal(set);
  const byOrdinal = new Map<number, Pod>();
  const condemned: Pod[] = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(set, pod);
    if (ordinal === undefined) continue;
    if (ordinal >= start && ordinal < end) byOrdinal.set(ordinal, pod);
    else condemned.push(pod);
  }
  const wait = (why: string) => {
    plan.waitingFor = why;
    return plan;
  };

  for (let ordinal = start; ordinal < end; ordinal++) {
    const pod = byOrdinal.get(ordinal);
    if (pod && isPodTerminal(pod) && !isPodTerminating(pod)) {
      plan.remove.push(pod);
      if (ordered) return wait(`${pod.metadata.name} to be replaced`);
      continue;
    }
    if (!pod) {
      plan.create.push({ ordinal, revision: ordinal < partition ? 'current' : 'update' });
      if (ordered) return wait(`${set.metadata.name}-${ordinal} to be Running and Ready`);
      continue;
    }
    if (!ordered) continue;
    if (isPodTerminating(pod)) return wait(`${pod.metadata.name} to terminate`);
    if (!isHealthy(pod, minReady, now)) return wait(`${pod.metadata.name} to be Running and Ready`);
  }

  // Highest ordinal first; OrderedReady deletes one and waits for it to be gone.
  condemned.sort((a, b) => (ordinalOf(set, b) ?? 0) - (ordinalOf(set, a) ?? 0));
  for (const pod of condemned) {
    if (isPodTerminating(pod)) {
      if (ordered) return wait(`${pod.metadata.name} to terminate`);
      continue;
    }
    plan.remove.push(pod);
    if (ordered) return wait(`${pod.metadata.name} to terminate`);
  }
  if (plan.create.length > 0 || plan.remove.length > 0) return plan;

  if (set.spec.updateStrategy?.type === 'OnDelete') return plan;
  for (let ordinal = end - 1; ordinal >= Math.max(start, partition); ordinal--) {
    const pod = byOrdinal.get(ordinal);
    if (!pod) continue;
    if (podRevision(pod) !== revisions.update && !isPodTerminating(pod)) {
      plan.remove.push(pod);
      return wait(`${pod.metadata.name} to be updated`);
    }
    if (!isHealthy(pod, minReady, now)) return wait(`${pod.metadata.name} to be Running and Ready`);
  }
  return plan;
}
