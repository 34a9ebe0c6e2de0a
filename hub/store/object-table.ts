// The authoritative current state of one resource: frozen objects by key, plus the keys kept in
// sorted order (sorted-keys.ts) so that LIST returns items by key, resumes after a continue key
// and jumps to a namespace (keys `namespace/name` share the prefix `namespace/`) with binary
// searches.
import type { KubeObject } from '../../api/types.js';
import { type Position, SortedKeys } from './sorted-keys.js';

export class ObjectTable {
  private readonly objects = new Map<string, KubeObject>();
  private keys = new SortedKeys();

  get size(): number {
    return this.objects.size;
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  set(key: string, object: KubeObject): void {
    if (!this.objects.has(key)) this.keys.insert(key);
    this.objects.set(key, object);
  }

  /** Fills an empty table at once (the store's load): one sort, not an insert per key. */
  fill(entries: ReadonlyArray<readonly [string, KubeObject]>): void {
    if (this.objects.size > 0) throw new Error('ObjectTable.fill: the table is not empty');
    for (const [key, object] of entries) this.objects.set(key, object);
    this.keys = SortedKeys.of([...this.objects.keys()]);
  }

  delete(key: string): void {
    if (!this.objects.delete(key)) return;
    this.keys.remove(key);
  }

  /**
   * Visits the objects whose key starts with `prefix` and sorts after `after`, in key order,
   * until `visit` returns false.
   */
  each(prefix: string, after: string | undefined, visit: (key: string, object: KubeObject) => boolean): void {
    this.keys.each(this.firstPosition(prefix, after), (key) =>
      key.startsWith(prefix) ? visit(key, this.objects.get(key)!) : false,
    );
  }

  /** How many keys start with `prefix` and sort after `after`: binary searches, no scan. */
  count(prefix = '', after?: string): number {
    const end = prefix === '' ? this.keys.size : this.keys.rank(this.keys.seek(successor(prefix)));
    return Math.max(0, end - this.keys.rank(this.firstPosition(prefix, after)));
  }

  private firstPosition(prefix: string, after: string | undefined): Position {
    const start = this.keys.seek(prefix);
    if (after === undefined || after < prefix) return start;
    return this.keys.seek(after, true);
  }
}

/** The smallest string above every string that starts with `prefix` (not empty). */
function successor(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
