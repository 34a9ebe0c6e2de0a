// A watch-backed cache of one resource, as client-go's informers: it starts with every stored
// object and follows every change. Objects in the cache are the store's frozen objects —
// never mutate them; clone before changing (controller-runtime's rule).
import { type Logger, silentLogger } from '../../api/logger.js';
import type { KubeObject } from '../../api/types.js';
import type { Store, StoreEvent, Watch } from '../store/store.js';
import { describeError } from './object-failures.js';

export type InformerHandler = {
  add?(obj: KubeObject): void;
  update?(obj: KubeObject, old: KubeObject): void;
  delete?(obj: KubeObject): void;
};

export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** What an index files an object under (client-go's IndexFunc, one value); undefined: not filed. */
export type IndexFn = (obj: KubeObject) => string | undefined;

interface Index {
  filedUnder: IndexFn;
  /** Objects by index value, then by key. */
  buckets: Map<string, Map<string, KubeObject>>;
}

export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: InformerHandler[] = [];
  private readonly indexes = new Map<string, Index>();
  private watch: Watch | undefined;

  constructor(
    private readonly store: Store,
    readonly resource: string,
    private readonly log: Logger = silentLogger,
  ) {}

  /** Fills the cache (synchronously, from the store's replay) and follows changes. */
  start(): void {
    if (this.watch) return;
    this.watch = this.store.watch(this.resource, {}, (event) => this.apply(event));
  }

  stop(): void {
    this.watch?.stop();
    this.watch = undefined;
  }

  /** Handlers added after start get an `add` for every cached object first. */
  addHandler(handler: InformerHandler): void {
    this.handlers.push(handler);
    for (const obj of this.cache.values()) this.safely('add', obj, () => handler.add?.(obj));
  }

  get(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  /**
   * Keeps the cache also filed by `filedUnder` (client-go's indexers), so that e.g. the pods of one
   * node are found without a pass over every pod: with 100,000 pods, the node controllers going
   * through all of them for each of 10,000 gateways held a restarted hub busy for minutes. Adding
   * an index under a name already used keeps the first.
   */
  addIndex(name: string, filedUnder: IndexFn): void {
    if (this.indexes.has(name)) return;
    const index: Index = { filedUnder, buckets: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.cache) file(index, key, obj);
  }

  /** The cached objects an index files under `value`; throws for an index never added. */
  byIndex(name: string, value: string): KubeObject[] {
    return [...(this.index(name).buckets.get(value)?.values() ?? [])];
  }

  private index(name: string): Index {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`informer ${this.resource}: no index ${name}`);
    return index;
  }

  list(namespace?: string): KubeObject[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  get size(): number {
    return this.cache.size;
  }

  private apply(event: StoreEvent): void {
    const key = objectKey(event.object);
    const old = this.cache.get(key);
    for (const index of this.indexes.values()) {
      if (old) unfile(index, key, old);
      if (event.type !== 'DELETED') file(index, key, event.object);
    }
    if (event.type === 'DELETED') {
      this.cache.delete(key);
      for (const h of this.handlers) this.safely('delete', event.object, () => h.delete?.(event.object));
      return;
    }
    this.cache.set(key, event.object);
    for (const h of this.handlers) {
      this.safely(old ? 'update' : 'add', event.object, () =>
        old ? h.update?.(event.object, old) : h.add?.(event.object),
      );
    }
  }

  /**
   * One handler failing on one object (a malformed object already stored, say) must neither stop
   * the other handlers nor the watch that feeds every controller: log it with the object, go on.
   */
  private safely(what: string, obj: KubeObject, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.warn(
        `informer ${this.resource}: ${what} handler failed on ${objectKey(obj)}: ${describeError(err)}`,
      );
    }
  }
}

function file(index: Index, key: string, obj: KubeObject): void {
  const value = index.filedUnder(obj);
  if (value === undefined) return;
  let bucket = index.buckets.get(value);
  if (!bucket) {
    bucket = new Map();
    index.buckets.set(value, bucket);
  }
  bucket.set(key, obj);
}

function unfile(index: Index, key: string, obj: KubeObject): void {
  const value = index.filedUnder(obj);
  if (value === undefined) return;
  const bucket = index.buckets.get(value);
  bucket?.delete(key);
  if (bucket?.size === 0) index.buckets.delete(value);
}
