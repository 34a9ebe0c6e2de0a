// The recent history of one resource, the window a watch can resume from (etcd keeps history
// until compaction; kube-apiserver's watch cache keeps a bounded ring — this is that ring).
import type { KubeObject } from '../../api/types.js';

export interface LoggedEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The new state; for DELETED, the last state with the deletion's resourceVersion. */
  object: KubeObject;
  /** The state before the change, so that selector watches can tell entering from leaving. */
  prevObject: KubeObject | undefined;
  rv: number;
}

export class EventLog {
  private readonly ring: (LoggedEvent | undefined)[];
  private first = 0;
  private count = 0;

  /**
   * @param windowStart every event with an rv above this one is in the log: at open() the
   *   store's current resourceVersion, afterwards the rv of the last event pushed out.
   */
  constructor(
    private readonly capacity: number,
    private windowStart: number,
  ) {
    this.ring = new Array(capacity);
  }

  append(event: LoggedEvent): void {
    if (this.count === this.capacity) {
      this.windowStart = this.at(0).rv;
      this.first = (this.first + 1) % this.capacity;
      this.count--;
    }
    this.ring[(this.first + this.count) % this.capacity] = event;
    this.count++;
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

  private at(index: number): LoggedEvent {
    return this.ring[(this.first + index) % this.capacity]!;
  }
}
