// A resource's keys in sorted order, kept as a list of sorted chunks (at most 2 × chunkSize
// keys each), so that adding or removing a key moves at most one chunk's worth of entries
// instead of shifting the whole array: with 100,000 pods in one sorted array every new pod
// moved 50,000 entries on average. Positions are found with binary searches: first over the
// chunks' last keys, then within a chunk.

const chunkSize = 512;

/** A place in the order: chunk index and index within it (chunk === chunks.length: the end). */
export interface Position {
  chunk: number;
  index: number;
}

export class SortedKeys {
  private readonly chunks: string[][] = [];
  private count = 0;

  /** Distinct keys in any order, sorted once and cut into chunks (a store loading 100,000). */
  static of(keys: readonly string[]): SortedKeys {
    const sorted = new SortedKeys();
    const all = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i < all.length; i += chunkSize) sorted.chunks.push(all.slice(i, i + chunkSize));
    sorted.count = all.length;
    return sorted;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a key not yet present. */
  insert(key: string): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const c = Math.min(this.chunkOf(key), this.chunks.length - 1);
    const chunk = this.chunks[c]!;
    chunk.splice(indexIn(chunk, key), 0, key);
    if (chunk.length > 2 * chunkSize) this.chunks.splice(c + 1, 0, chunk.splice(chunkSize));
  }

  /** Removes a key that is present. */
  remove(key: string): void {
    const c = this.chunkOf(key);
    const chunk = this.chunks[c];
    if (!chunk) return;
    const i = indexIn(chunk, key);
    if (chunk[i] !== key) return;
    this.count--;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** The first position whose key is >= `key` (or > `key` when `after`). */
  seek(key: string, after = false): Position {
    const c = this.chunkOf(key, after);
    const chunk = this.chunks[c];
    if (!chunk) return { chunk: this.chunks.length, index: 0 };
    return { chunk: c, index: indexIn(chunk, key, after) };
  }

  /** How many keys come before `position`. */
  rank(position: Position): number {
    let before = position.index;
    for (let c = 0; c < position.chunk && c < this.chunks.length; c++) before += this.chunks[c]!.length;
    return before;
  }

  /**
   * Visits keys in order from `position` until `visit` returns false. A callback, not a
   * generator: resuming a generator per key was a tenth of a 500-item LIST page.
   */
  each(position: Position, visit: (key: string) => boolean): void {
    for (let c = position.chunk, i = position.index; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c]!;
      for (; i < chunk.length; i++) if (!visit(chunk[i]!)) return;
    }
  }

  /** The first chunk whose last key is >= `key` (> `key` when `after`). */
  private chunkOf(key: string, after = false): number {
    return search(this.chunks.length, (c) => this.chunks[c]!.at(-1)!, key, after);
  }
}

/** The first index below `length` whose key (`keyAt`) is >= `key` (> `key` when `after`). */
function search(length: number, keyAt: (i: number) => string, key: string, after: boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const k = keyAt(mid);
    if (k < key || (after && k === key)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first index of a sorted chunk whose key is >= `key` (> `key` when `after`). */
function indexIn(chunk: string[], key: string, after = false): number {
  return search(chunk.length, (i) => chunk[i]!, key, after);
}
