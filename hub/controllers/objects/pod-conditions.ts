// Pod state as controllers judge it (kube's podutil): ready, available, finished, and when a
// finished pod finished.
import type { Condition, Pod } from './kinds.js';

export function conditionOf(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isPodReady(pod: Pod): boolean {
  return conditionOf(pod.status?.conditions, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  const ready = conditionOf(pod.status?.conditions, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= now.getTime();
}

export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** Neither finished nor being deleted (controller.IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !isPodTerminating(pod);
}

/**
 * When a finished pod finished: the Ready=False transition, else the last container's exit,
 * else the deletion, else its creation (the order kube's job controller uses).
 */
export function podFinishTime(pod: Pod): number {
  const ready = conditionOf(pod.status?.conditions, 'Ready');
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
