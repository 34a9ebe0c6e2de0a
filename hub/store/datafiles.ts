// The store's persistence: one datafile per resource plus a meta file holding the
// resourceVersion counter (record-file.ts). Each change is appended to its file (changes made
// together in one append) before its promise resolves, so an acknowledged write survives the
// process being killed; files whose appends superseded lines are rewritten compacted
// periodically. Resources named in the encryption configuration (Secrets by default) are stored
// encrypted, and values not under the current write key — plaintext from before, or an older key
// after a rotation — are rewritten with it when the store opens.
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EncryptionConfig } from '../../api/encryption/encryption-config.js';
import { type Doc, RawJson, RecordFile, type RecordFileOptions } from './record-file.js';
import type { ResourceName } from './store.js';

/**
 * One object to persist, as its JSON text. On disk a line holds it under `object` as JSON for
 * plain resources, and as a string under `json` for encrypted ones (the ciphertext) and in files
 * written before (nedb's format, which refused field names with '.' such as
 * `app.kubernetes.io/name`, so the object went as a string).
 */
export interface StoredRecord {
  _id: string;
  rv: number;
  json: string;
}

/** One object as loaded: parsed once, with the line. */
export interface LoadedRecord {
  _id: string;
  rv: number;
  object: unknown;
}

/** The fields of a line as written by any version. */
interface RecordDoc extends Doc {
  rv: number;
  object?: unknown;
  json?: string;
}

/** A removal, as Datafiles.write takes it. */
export interface RemovedRecord {
  _id: string;
  removed: true;
}

export const dirMode = 0o700;
const metaFile = '_meta.db'; // resource names never start with '_', so this cannot collide
const resourceVersionId = 'resourceVersion';

export interface DatafilesOptions {
  /** Directory holding the .db files; undefined keeps everything in memory. */
  dir: string | undefined;
  compactionIntervalMs: number;
  onCompactionError: (err: unknown) => void;
  /** Where torn or corrupt lines dropped on load are reported (file and count). */
  onDropped?: (path: string, count: number) => void;
  /** Encryption at rest, by resource; absent: everything plain. */
  encryption?: EncryptionConfig;
  /** Test seam: how append handles are opened. */
  openAppend?: RecordFileOptions['openAppend'];
}

export class Datafiles {
  private readonly files = new Map<string, Promise<RecordFile>>();
  private compaction: NodeJS.Timeout | undefined;
  private readonly compactions = new Set<Promise<void>>();

  constructor(private readonly options: DatafilesOptions) {}

  /** Load every existing datafile: the records by resource (decrypted), and the persisted counter. */
  async open(): Promise<{ records: Map<ResourceName, LoadedRecord[]>; resourceVersion: number }> {
    const { dir } = this.options;
    const records = new Map<ResourceName, LoadedRecord[]>();
    if (dir === undefined) return { records, resourceVersion: 0 };
    await mkdir(dir, { recursive: true, mode: dirMode });
    await chmod(dir, dirMode); // installs from before were 0755
    const meta = await this.load(metaFile);
    const counter = meta.find((doc) => doc._id === resourceVersionId)?.value;
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.db') || name === metaFile) continue;
      const resource = name.slice(0, -'.db'.length).replace('_', '/');
      records.set(resource, await this.readRecords(resource, name));
    }
    this.compaction = setInterval(() => this.compactAll(), this.options.compactionIntervalMs);
    return { records, resourceVersion: typeof counter === 'number' ? counter : 0 };
  }

  /** Several changes to one resource as one append: records stored, or `{ _id, removed }`. */
  async write(resource: ResourceName, changes: ReadonlyArray<StoredRecord | RemovedRecord>): Promise<void> {
    if (this.options.dir === undefined || changes.length === 0) return;
    const transformer = this.options.encryption?.get(resource);
    const docs = changes.map((change): Doc => {
      if ('removed' in change) return { _id: change._id, $$deleted: true };
      const { _id, rv, json } = change;
      return transformer
        ? { _id, rv, json: transformer.toStorage(json, contextOf(resource, _id)) }
        : { _id, rv, object: new RawJson(json) };
    });
    await (await this.file(fileNameOf(resource))).append(docs);
  }

  /** Needed only for deletes: every other write leaves its resourceVersion on its object. */
  async saveResourceVersion(value: number): Promise<void> {
    if (this.options.dir === undefined) return;
    await (await this.file(metaFile)).append([{ _id: resourceVersionId, value }]);
  }

  /**
   * Stop the compaction timer, so that an idle process can exit, let a running compaction
   * finish (its rename must not land after another instance reopened the files), close files.
   */
  async close(): Promise<void> {
    clearInterval(this.compaction);
    this.compaction = undefined;
    await Promise.all(this.compactions);
    await Promise.all([...this.files.values()].map(async (file) => (await file).close()));
    this.files.clear();
  }

  /** Decrypts a resource's records; stale ones (plaintext, older key) are rewritten, compacted. */
  private async readRecords(resource: ResourceName, name: string): Promise<LoadedRecord[]> {
    const docs = (await this.load(name)) as RecordDoc[];
    const transformer = this.options.encryption?.get(resource);
    const path = join(this.options.dir!, name);
    const stale: StoredRecord[] = [];
    const records = docs.map((doc): LoadedRecord => {
      const { _id, rv } = doc;
      if (!transformer) return { _id, rv, object: 'object' in doc ? doc.object : JSON.parse(doc.json ?? '') };
      let read: ReturnType<typeof transformer.fromStorage>;
      try {
        // A line holding the object as JSON is plaintext from before encryption was configured.
        const stored = 'object' in doc ? JSON.stringify(doc.object) : (doc.json ?? '');
        read = transformer.fromStorage(stored, contextOf(resource, _id));
      } catch (err) {
        throw new Error(`cannot read ${path}: ${resource} ${_id}: ${(err as Error).message}`);
      }
      if (read.stale) stale.push({ _id, rv, json: read.plain });
      return { _id, rv, object: JSON.parse(read.plain) };
    });
    await this.write(resource, stale);
    // The superseded lines hold the old form (plaintext, or under a retired key): drop them now.
    if (stale.length > 0) await (await this.file(name)).compactIfWasteful();
    return records;
  }

  private async load(name: string): Promise<Doc[]> {
    const opened = RecordFile.open(join(this.options.dir!, name), {
      ...(this.options.onDropped ? { onDropped: this.options.onDropped } : {}),
      ...(this.options.openAppend ? { openAppend: this.options.openAppend } : {}),
    });
    // Set before the first await, so that concurrent first uses share one load; a failed load
    // is forgotten, so that the next write tries again.
    this.files.set(
      name,
      opened.then(({ file }) => file),
    );
    opened.catch(() => this.files.delete(name));
    return (await opened).docs;
  }

  /** The datafile of a resource, created on first use. */
  private async file(name: string): Promise<RecordFile> {
    if (!this.files.has(name)) await this.load(name);
    return this.files.get(name)!;
  }

  private compactAll(): void {
    for (const file of this.files.values()) {
      const compaction = file
        .then((f) => f.compactIfWasteful())
        .catch(this.options.onCompactionError)
        .finally(() => this.compactions.delete(compaction));
      this.compactions.add(compaction);
    }
  }
}

function fileNameOf(resource: ResourceName): string {
  return `${resource.replaceAll('/', '_')}.db`;
}

/** Authenticated with each encrypted value, like the etcd key in Kubernetes: `/secrets/ns/name`. */
function contextOf(resource: ResourceName, key: string): string {
  return `/${resource}/${key}`;
}
