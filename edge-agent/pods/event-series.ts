// The kubelet's event correlation (client-go's EventCorrelator), agent side: an event identical to
// one reported within the last 10 minutes (same pod, type, reason and message) is not a new Event
// but the next count of the same series — the hub then updates one Event's count and
// lastTimestamp instead of storing one more. Bounded like client-go's LRU (4,096 series).

export const seriesWindowMs = 10 * 60_000;
export const maxSeries = 4096;

export interface SeriesPosition {
  count: number;
  /** When the series began; the hub names the Event after it. */
  firstObservedAt: number;
}

interface Series {
  first: number;
  last: number;
  count: number;
}

export class EventSeries {
  /** In insertion order, refreshed on use: the first key is the least recently seen. */
  private readonly series = new Map<string, Series>();

  constructor(
    private readonly windowMs = seriesWindowMs,
    private readonly limit = maxSeries,
  ) {}

  /** Counts one occurrence of the event `key` (its uid first, then a NUL) at `at`. */
  next(key: string, at: number): SeriesPosition {
    const seen = this.series.get(key);
    this.series.delete(key);
    const current =
      seen && at - seen.last <= this.windowMs
        ? { first: seen.first, last: at, count: seen.count + 1 }
        : { first: at, last: at, count: 1 };
    this.series.set(key, current);
    if (this.series.size > this.limit) {
      const oldest = this.series.keys().next().value;
      if (oldest !== undefined) this.series.delete(oldest);
    }
    return { count: current.count, firstObservedAt: current.first };
  }

  /** Drops the series of a pod that is gone. */
  forget(uid: string): void {
    for (const key of this.series.keys()) if (key.startsWith(`${uid}\0`)) this.series.delete(key);
  }
}

export function seriesKey(uid: string, type: string, reason: string, message: string): string {
  return [uid, type, reason, message].join('\0');
}
