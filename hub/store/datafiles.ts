// The store's persistence: one nedb datafile per resource plus a meta file holding the
// resourceVersion counter. nedb appends each change to its file before its promise resolves, so
// an acknowledged write survives the process being killed; it rewrites (compacts) every file on
// load and then periodically.
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Datastore from 'nedb-promises';
import type { ResourceName } from './store.js';

/**
 * One object as persisted. The object travels as a JSON string because nedb refuses field
 * names containing '.' or starting with '$', and label keys like `app.kubernetes.io/name` have
 * dots.
 */
export interface StoredRecord {
  _id: string;
  rv: number;
  json: string;
}

interface MetaRecord {
  _id: string;
  value: number;
}

type Datafile = Datastore<{ _id: string }>;

// nedb-promises forwards compactDatafileAsync to @seald-io/nedb 4 but does not declare it. (Its
// setAutocompactionInterval cannot be used through nedb-promises' proxy: clearing the timer id
// assigns null, which the proxy's set trap reports as a failure.)
interface Compactable {
  compactDatafileAsync(): Promise<void>;
}

const metaFile = '_meta.db'; // resource names never start with '_', so this cannot collide
const resourceVersionId = 'resourceVersion';

export interface DatafilesOptions {
  /** Directory holding the .db files; undefined keeps everything in memory. */
  dir: string | undefined;
  compactionIntervalMs: number;
  onCompactionError: (err: unknown) => void;
}

export class Datafiles {
  private readonly files = new Map<ResourceName, Promise<Datafile>>();
  private meta: Promise<Datafile> | undefined;
  private compaction: NodeJS.Timeout | undefined;
  private readonly compactions = new Set<Promise<void>>();

  constructor(private readonly options: DatafilesOptions) {}

  /** Load every existing datafile: the records by resource, and the persisted counter. */
  async open(): Promise<{ records: Map<ResourceName, StoredRecord[]>; resourceVersion: number }> {
    const { dir } = this.options;
    const records = new Map<ResourceName, StoredRecord[]>();
    if (dir !== undefined) await mkdir(dir, { recursive: true });
    this.meta = this.load(metaFile);
    const counter = await (await this.meta).findOne<MetaRecord>({ _id: resourceVersionId });
    if (dir === undefined) return { records, resourceVersion: 0 };
    for (const file of await readdir(dir)) {
      if (!file.endsWith('.db') || file === metaFile) continue;
      const resource = file.slice(0, -'.db'.length).replace('_', '/');
      records.set(resource, await (await this.datafile(resource)).find<StoredRecord>({}));
    }
    this.compaction = setInterval(() => this.compactAll(), this.options.compactionIntervalMs);
    return { records, resourceVersion: counter?.value ?? 0 };
  }

  /** Insert or replace the object stored under `key`. */
  async put(resource: ResourceName, record: StoredRecord): Promise<void> {
    const file = await this.datafile(resource);
    await file.update({ _id: record._id }, record, { upsert: true });
  }

  async remove(resource: ResourceName, key: string): Promise<void> {
    await (await this.datafile(resource)).remove({ _id: key }, {});
  }

  /** Needed only for deletes: every other write leaves its resourceVersion on its object. */
  async saveResourceVersion(value: number): Promise<void> {
    const meta = await this.meta!;
    await meta.update({ _id: resourceVersionId }, { _id: resourceVersionId, value }, { upsert: true });
  }

  /**
   * Stop the compaction timer, so that an idle process can exit, and let a running compaction
   * finish: its final rename must not land after another store instance reopened the files.
   */
  async close(): Promise<void> {
    clearInterval(this.compaction);
    this.compaction = undefined;
    await Promise.all(this.compactions);
  }

  /**
   * Rewrite every datafile with one line per live object; nedb only appends between
   * compactions. A failure leaves the old file in place (nedb writes a temp file and renames).
   */
  private compactAll(): void {
    for (const file of [this.meta, ...this.files.values()]) {
      if (!file) continue;
      const compaction = file
        .then((f) => (f as unknown as Compactable).compactDatafileAsync())
        .catch(this.options.onCompactionError)
        .finally(() => this.compactions.delete(compaction));
      this.compactions.add(compaction);
    }
  }

  /** The datafile of a resource, created and loaded on first use. */
  private datafile(resource: ResourceName): Promise<Datafile> {
    let file = this.files.get(resource);
    if (!file) {
      file = this.load(`${resource.replaceAll('/', '_')}.db`);
      this.files.set(resource, file);
    }
    return file;
  }

  private async load(name: string): Promise<Datafile> {
    const { dir } = this.options;
    const file = Datastore.create(dir === undefined ? { inMemoryOnly: true } : { filename: join(dir, name) });
    await file.load(); // nedb compacts the file as it loads it
    return file;
  }
}
