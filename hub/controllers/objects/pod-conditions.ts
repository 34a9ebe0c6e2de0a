// Pod state as controllers judge it (kube's podutil.IsPodReady / IsPodAvailable and
// controller.IsPodActive): ready, available, finished, being deleted, and when a finished pod
// finished.
import { findCondition } from './conditions.js';
import type { Pod } from './kinds.js';

export function isPodReady(pod: Pod): boolean {
  return findCondition(pod.status?.conditions, 'Ready')?.status === 'True';
}

/** When the pod last became Ready, if it is Ready and the time is known. */
export function podReadySince(pod: Pod): number | undefined {
  const ready = findCondition(pod.status?.conditions, 'Ready');
  const stamp = ready?.status === 'True' ? ready.lastTransitionTime : undefined;
  return stamp ? Date.parse(stamp) : undefined;
}

/**
 * Ready for more than minReadySeconds (podutil.IsPodAvailable: the transition time plus
 * minReadySeconds is before now). With minReadySeconds 0 every ready pod is available; a ready
 * pod without a usable transition time is available only then.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now.getTime();
}

/** Milliseconds until a ready pod becomes available, or undefined when it is or never will be. */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, now: Date): number | undefined {
  if (minReadySeconds <= 0 || !isPodReady(pod)) return undefined;
  const since = podReadySince(pod);
  if (since === undefined) return undefined;
  const wait = since + minReadySeconds * 1000 - now.getTime();
  return wait >= 0 ? wait + 1 : undefined;
}

export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** Neither finished nor being deleted (controller.IsPodActive): the pods a ReplicaSet counts. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !isPodTerminating(pod);
}

/**
 * When a finished pod finished: the Ready=False transition, else the last container's exit,
 * else the deletion, else its creation (the order kube's job controller uses).
 */
export function podFinishTime(pod: Pod): number {
  const ready = findCondition(pod.status?.conditions, 'Ready');
  const candidates = [
    ready?.status === 'False' ? ready.lastTransitionTime : undefined,
    latest((pod.status?.containerStatuses ?? []).map((s) => s.state?.terminated?.finishedAt)),
    pod.metadata.deletionTimestamp,
    pod.metadata.creationTimestamp,
  ];
  for (const text of candidates) {
    const time = Date.parse(text ?? '');
    if (!Number.isNaN(time)) return time;
  }
  return 0;
}

function latest(times: (string | undefined)[]): string | undefined {
  const parsed = times.map((t) => Date.parse(t ?? '')).filter((t) => !Number.isNaN(t));
  return parsed.length === 0 ? undefined : new Date(Math.max(...parsed)).toISOString();
}
