// Keys that expire at a time, earliest first: a binary min-heap with lazy removal. Setting a
// key's time again leaves the old heap entry behind and skips it when it surfaces, so each
// change is O(log n) and finding what is due costs only what is due — no scan of every key.
// Stale entries are compacted away once they outnumber the live ones.

interface Entry {
  at: number;
  key: string;
}

export class ExpiryQueue {
  private heap: Entry[] = [];
  private readonly times = new Map<string, number>();

  /** `key` expires at `at` (ms), replacing any earlier time it had. */
  set(key: string, at: number): void {
    if (this.times.get(key) === at) return;
    this.times.set(key, at);
    this.push({ at, key });
    if (this.heap.length > 2 * this.times.size + 64) this.compact();
  }

  delete(key: string): void {
    this.times.delete(key);
  }

  /** The earliest expiry of a live key, if any. */
  next(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /** Removes and returns the keys whose time is at or before `now`, earliest first. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.at > now) return due;
      this.pop();
      this.times.delete(top.key);
      due.push(top.key);
    }
  }

  get size(): number {
    return this.times.size;
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.times.get(this.heap[0]!.key) !== this.heap[0]!.at) this.pop();
  }

  private compact(): void {
    const live = this.heap.filter((e) => this.times.get(e.key) === e.at);
    this.heap = [];
    for (const entry of live) this.push(entry);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= heap[i]!.at) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && heap[left]!.at < heap[smallest]!.at) smallest = left;
      if (right < heap.length && heap[right]!.at < heap[smallest]!.at) smallest = right;
      if (smallest === i) return;
      [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
      i = smallest;
    }
  }
}
