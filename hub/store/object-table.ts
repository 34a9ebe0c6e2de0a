// The authoritative current state of one resource: frozen objects by key, plus the keys kept in
// sorted order so that LIST returns items by key, resumes after a continue key and jumps to a
// namespace (keys `namespace/name` share the prefix `namespace/`) with binary searches.
import type { KubeObject } from '../../api/types.js';

export class ObjectTable {
  private readonly objects = new Map<string, KubeObject>();
  private readonly sortedKeys: string[] = [];

  get size(): number {
    return this.objects.size;
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  set(key: string, object: KubeObject): void {
    if (!this.objects.has(key)) this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 0, key);
    this.objects.set(key, object);
  }

  delete(key: string): void {
    if (!this.objects.delete(key)) return;
    this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 1);
  }

  /** Objects in key order whose key starts with `prefix` and sorts after `after`. */
  *scan(prefix = '', after?: string): Generator<[string, KubeObject]> {
    for (let i = this.firstIndex(prefix, after); i < this.sortedKeys.length; i++) {
      const key = this.sortedKeys[i]!;
      if (!key.startsWith(prefix)) return;
      yield [key, this.objects.get(key)!];
    }
  }

  /** How many keys start with `prefix` and sort after `after`: two binary searches, no scan. */
  count(prefix = '', after?: string): number {
    const end = prefix === '' ? this.sortedKeys.length : lowerBound(this.sortedKeys, successor(prefix));
    return Math.max(0, end - this.firstIndex(prefix, after));
  }

  private firstIndex(prefix: string, after: string | undefined): number {
    const i = lowerBound(this.sortedKeys, prefix);
    return after === undefined ? i : Math.max(i, upperBound(this.sortedKeys, after));
  }
}

/** The smallest string above every string that starts with `prefix` (not empty). */
function successor(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** The first index whose key is >= `key`. */
function lowerBound(keys: string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first index whose key is > `key`. */
function upperBound(keys: string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! <= key) low = mid + 1;
    else high = mid;
  }
  return low;
}
