// Back-off between a Job's retries (https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-backoff-failure-policy):
// after n failures since the last success, new pods wait base·2^(n-1) from the last failure,
// capped (kube: 10s doubling, at most 6 minutes). Derived from the pods themselves, so a
// restarted hub waits exactly as long as the one before it would have.
import { backoffDelay } from '../../../api/backoff.js';
import type { Pod } from '../objects/kinds.js';
import { podFinishTime } from '../objects/pod-conditions.js';
import { isPodFailed } from './job-view.js';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const defaultJobBackoff: BackoffPolicy = { baseMs: 10_000, maxMs: 6 * 60_000 };

export function backoffDelayMs(failuresAfterLastSuccess: number, policy: BackoffPolicy): number {
  return backoffDelay(failuresAfterLastSuccess, { initialMs: policy.baseMs, maxMs: policy.maxMs });
}

/** How long pod creation must still wait, 0 when it may go ahead. */
export function remainingBackoffMs(pods: Pod[], policy: BackoffPolicy, now: Date): number {
  let lastSuccess = Number.NEGATIVE_INFINITY;
  for (const pod of pods) {
    if (pod.status?.phase === 'Succeeded') lastSuccess = Math.max(lastSuccess, podFinishTime(pod));
  }
  let failures = 0;
  let lastFailure = Number.NEGATIVE_INFINITY;
  for (const pod of pods) {
    if (!isPodFailed(pod)) continue;
    const finished = podFinishTime(pod);
    if (finished < lastSuccess) continue;
    failures++;
    lastFailure = Math.max(lastFailure, finished);
  }
  if (failures === 0) return 0;
  return Math.max(0, lastFailure + backoffDelayMs(failures, policy) - now.getTime());
}
