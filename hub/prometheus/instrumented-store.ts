// A Store that counts and times what goes through it (flotilla_store_operations_total,
// flotilla_store_operation_duration_seconds), for whichever store backs the hub. It only
// delegates: the store's conformance suite applies unchanged.
import type { KubeObject } from '../../api/types.js';
import type {
  ListOptions,
  ListResult,
  ObjectKey,
  ResourceName,
  Store,
  StoreEvent,
  Watch,
  WatchOptions,
  WriteOptions,
} from '../store/store.js';
import type { HubMetrics } from './hub-metrics.js';

export class InstrumentedStore implements Store {
  /** Each (operation, resource, result)'s series, found once (prom-client hashes labels per call). */
  private readonly series = new Map<
    string,
    { count: { inc(): void }; latency: { observe(s: number): void } }
  >();

  constructor(
    private readonly inner: Store,
    private readonly metrics: Pick<HubMetrics, 'storeOps' | 'storeDuration'>,
  ) {}

  open(): Promise<void> {
    return this.inner.open();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  get(resource: ResourceName, key: ObjectKey): Promise<KubeObject | undefined> {
    return this.timed('get', resource, this.inner.get(resource, key));
  }

  list(resource: ResourceName, options?: ListOptions): Promise<ListResult> {
    return this.timed('list', resource, this.inner.list(resource, options));
  }

  create(resource: ResourceName, object: KubeObject): Promise<KubeObject> {
    return this.timed('create', resource, this.inner.create(resource, object));
  }

  update(resource: ResourceName, object: KubeObject, options?: WriteOptions): Promise<KubeObject> {
    return this.timed('update', resource, this.inner.update(resource, object, options));
  }

  delete(resource: ResourceName, key: ObjectKey, options?: WriteOptions): Promise<KubeObject> {
    return this.timed('delete', resource, this.inner.delete(resource, key, options));
  }

  watch(resource: ResourceName, options: WatchOptions, onEvent: (event: StoreEvent) => void): Watch {
    this.metrics.storeOps.inc({ operation: 'watch', resource, result: 'ok' });
    return this.inner.watch(resource, options, onEvent);
  }

  currentResourceVersion(): string {
    return this.inner.currentResourceVersion();
  }

  private async timed<T>(operation: string, resource: ResourceName, work: Promise<T>): Promise<T> {
    const started = performance.now();
    let result = 'error';
    try {
      const value = await work;
      result = 'ok';
      return value;
    } finally {
      const key = `${operation} ${resource} ${result}`;
      let series = this.series.get(key);
      if (!series) {
        series = {
          count: this.metrics.storeOps.labels({ operation, resource, result }),
          latency: this.metrics.storeDuration.labels({ operation }),
        };
        this.series.set(key, series);
      }
      series.count.inc();
      series.latency.observe((performance.now() - started) / 1000);
    }
  }
}
