// Pod readiness and availability as the workload controllers count them (kube's
// podutil.IsPodReady / IsPodAvailable and controller.IsPodActive).
import type { Pod } from './workload-types.js';

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod last became Ready, if it is Ready and the time is known. */
export function podReadySince(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  const stamp = ready?.lastTransitionTime;
  return stamp ? Date.parse(stamp) : undefined;
}

/**
 * Ready for at least minReadySeconds. With minReadySeconds 0 every ready pod is available; a
 * ready pod without a transition time is available only then.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now.getTime();
}

/** Not finished and not being deleted: the pods a ReplicaSet counts. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

/** Milliseconds until a ready pod becomes available, or undefined when it is or never will be. */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, now: Date): number | undefined {
  if (minReadySeconds <= 0 || !isPodReady(pod)) return undefined;
  const since = podReadySince(pod);
  if (since === undefined) return undefined;
  const wait = since + minReadySeconds * 1000 - now.getTime();
  return wait >= 0 ? wait + 1 : undefined;
}
