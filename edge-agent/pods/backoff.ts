// Crash-loop and image-pull back-off, as the kubelet keeps it (client-go flowcontrol.Backoff):
// the first restart is immediate; each further failure while an entry is live doubles the wait,
// from `initialMs` up to `maxMs`; an entry whose last update is older than twice the maximum
// starts over. Pure functions over plain entries, so the planner can decide with them.
import { type BackoffPolicy, nextBackoffDelay } from '../../api/backoff.js';

export type { BackoffPolicy };

/** kubelet's backOffPeriod (10 s) and MaxContainerBackOff (300 s). */
export const kubeletBackoff: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000 };

export interface BackoffEntry {
  durationMs: number;
  /** The event (e.g. the container's finish time) the duration was last computed for. */
  lastUpdate: number;
}

function hasExpired(eventTime: number, lastUpdate: number, policy: BackoffPolicy): boolean {
  return eventTime - lastUpdate > 2 * policy.maxMs;
}

/** Whether an event at `eventTime` still waits at `now` (flowcontrol's IsInBackOffSince). */
export function isInBackOff(
  entry: BackoffEntry | undefined,
  eventTime: number,
  now: number,
  policy: BackoffPolicy,
): boolean {
  if (!entry || hasExpired(eventTime, entry.lastUpdate, policy)) return false;
  return now - eventTime < entry.durationMs;
}

/** The entry after acting on an event at `eventTime` (flowcontrol's Next). */
export function nextBackoff(
  entry: BackoffEntry | undefined,
  eventTime: number,
  policy: BackoffPolicy,
): BackoffEntry {
  if (!entry || hasExpired(eventTime, entry.lastUpdate, policy)) {
    return { durationMs: policy.initialMs, lastUpdate: eventTime };
  }
  return { durationMs: nextBackoffDelay(entry.durationMs, policy), lastUpdate: eventTime };
}

/** Milliseconds the way Go prints a time.Duration: 500ms, 10s, 1m20s, 5m0s, 1h0m0s. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const secondsText = `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}
