// How long Events live: kube-apiserver's --event-ttl (default 1h). Kubernetes stores each Event
// with an etcd lease of that length, renewed by every write; Flotilla counts from the Event's
// newest own time — its creation, or its lastTimestamp / eventTime / series when it was
// updated — so the count survives a hub restart without a lease per object.
import { parseDurationSeconds } from '../../../api/disconnect-policy.js';
import type { KubeObject } from '../../../api/types.js';

export const defaultEventTTLSeconds = 3600;

/** `--event-ttl` as a Go duration (`1h`, `30m`, `1h30m`), in ms; at least one second. */
export function parseEventTTL(text: string): number {
  const parsed = parseDurationSeconds(text);
  if (!parsed.ok) throw new Error(`--event-ttl: ${parsed.error}, e.g. 1h or 30m`);
  if (parsed.value < 1) throw new Error(`--event-ttl must be at least 1s, got ${JSON.stringify(text)}`);
  return parsed.value * 1000;
}

/** When the Event was last written, as far as its own fields tell (ms; NaN when none parse). */
export function lastWrittenAt(event: KubeObject): number {
  const e = event as KubeObject & {
    lastTimestamp?: unknown;
    eventTime?: unknown;
    series?: { lastObservedTime?: unknown };
  };
  const times = [event.metadata.creationTimestamp, e.lastTimestamp, e.eventTime, e.series?.lastObservedTime]
    .filter((t): t is string => typeof t === 'string')
    .map((t) => Date.parse(t))
    .filter((t) => Number.isFinite(t));
  return times.length > 0 ? Math.max(...times) : Number.NaN;
}
