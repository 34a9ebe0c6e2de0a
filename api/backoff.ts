// Exponential back-off, the one formula every retry on both sides uses: after n failures in a
// row the wait is initial·2^(n-1), at most `maxMs` (client-go's flowcontrol.Backoff and
// workqueue's ItemExponentialFailureRateLimiter compute the same). Callers keep their own count
// of failures and their own timers; this only says how long.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/** The wait after `failures` failures in a row (0 before the first). */
export function backoffDelay(failures: number, policy: BackoffPolicy): number {
  if (!(failures >= 1)) return 0;
  // Past 2^30 every cap in use has long been reached; stopping there keeps the product finite.
  const exponent = Math.min(failures - 1, 30);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
}

/** The wait after one of `previousMs` (for callers that keep the last wait rather than a count). */
export function nextBackoffDelay(previousMs: number | undefined, policy: BackoffPolicy): number {
  return previousMs === undefined ? policy.initialMs : Math.min(policy.maxMs, previousMs * 2);
}

/**
 * `delayMs` moved up or down by at most `fraction` of itself at random (so a fleet that failed
 * together does not retry in lockstep), kept within 0..`capMs` and rounded to a millisecond.
 */
export function withJitter(delayMs: number, fraction: number, capMs: number, random = Math.random): number {
  const spread = delayMs * fraction * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(capMs, delayMs + spread)));
}
