// The recent history of one resource, the window a watch can resume from (etcd keeps history
// until compaction; kube-apiserver's watch cache keeps a bounded ring — this is that ring).
// Bounded twice: by count per resource, and by bytes across every resource's log (a shared
// EventLogBudget), so that a few thousand updates of a 1 MiB ConfigMap cannot exhaust the heap.
// Pushed-out history only shortens the window: a watch from before it gets 410 Gone.
import type { KubeObject } from '../../api/types.js';

export interface LoggedEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The new state; for DELETED, the last state with the deletion's resourceVersion. */
  object: KubeObject;
  /** The state before the change, so that selector watches can tell entering from leaving. */
  prevObject: KubeObject | undefined;
  rv: number;
  /** Size of `object` as stored (its JSON), when the writer knows it; measured otherwise. */
  bytes?: number | undefined;
}

/** 256 MiB of history over all resources: ~80,000 updates of a 3 KiB pod. */
export const defaultEventLogBytes = 256 * 1024 * 1024;

/**
 * The byte budget every resource's log shares. Over it, the oldest event of all logs goes first
 * (resourceVersions are global, so that is a single FIFO over the whole store).
 */
export class EventLogBudget {
  private readonly logs = new Set<EventLog>();
  private used = 0;

  constructor(readonly limit = defaultEventLogBytes) {}

  /** Bytes the logs hold (each entry's object; the oldest entry's previous state is extra). */
  get retainedBytes(): number {
    return this.used;
  }

  join(log: EventLog): void {
    this.logs.add(log);
  }

  charge(bytes: number, appendedTo: EventLog): void {
    this.used += bytes;
    while (this.used > this.limit) {
      let oldest: EventLog | undefined;
      for (const log of this.logs) {
        const rv = log.oldestRv;
        // The log just appended to keeps its newest event: a watch must see what was written.
        if (rv === undefined || (log === appendedTo && log.length === 1)) continue;
        if (!oldest || rv < oldest.oldestRv!) oldest = log;
      }
      if (!oldest) return;
      oldest.dropOldest();
    }
  }

  release(bytes: number): void {
    this.used -= bytes;
  }
}

export class EventLog {
  private readonly ring: (LoggedEvent | undefined)[];
  private readonly sizes: number[];
  private first = 0;
  private count = 0;

  /**
   * @param windowStart every event with an rv above this one is in the log: at open() the
   *   store's current resourceVersion, afterwards the rv of the last event pushed out.
   */
  constructor(
    private readonly capacity: number,
    private windowStart: number,
    private readonly budget = new EventLogBudget(),
  ) {
    this.ring = new Array(capacity);
    this.sizes = new Array(capacity).fill(0);
    budget.join(this);
  }

  append(event: LoggedEvent): void {
    if (this.count === this.capacity) this.dropOldest();
    const slot = (this.first + this.count) % this.capacity;
    const bytes = event.bytes ?? JSON.stringify(event.object).length;
    this.ring[slot] = event;
    this.sizes[slot] = bytes;
    this.count++;
    this.budget.charge(bytes, this);
  }

  /** Pushes the oldest event out of the window (count or byte budget). */
  dropOldest(): void {
    if (this.count === 0) return;
    this.windowStart = this.at(0).rv;
    this.budget.release(this.sizes[this.first]!);
    this.ring[this.first] = undefined;
    this.first = (this.first + 1) % this.capacity;
    this.count--;
  }

  /** The events after `rv`, oldest first; undefined when the log no longer reaches back to `rv`. */
  since(rv: number): LoggedEvent[] | undefined {
    if (rv < this.windowStart) return undefined;
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.at(mid).rv <= rv) low = mid + 1;
      else high = mid;
    }
    const events: LoggedEvent[] = [];
    for (let i = low; i < this.count; i++) events.push(this.at(i));
    return events;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestResumable(): number {
    return this.windowStart;
  }

  /** The rv of the oldest event held, if any. */
  get oldestRv(): number | undefined {
    return this.count > 0 ? this.at(0).rv : undefined;
  }

  get length(): number {
    return this.count;
  }

  private at(index: number): LoggedEvent {
    return this.ring[(this.first + index) % this.capacity]!;
  }
}
