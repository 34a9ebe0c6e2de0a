import { type Logger, silentLogger } from '../../api/logger.js';
// The embedded Store backend: datafiles (nedb's format) for persistence, an in-memory table per
// resource as the authoritative state that get/list read, and a bounded event log per resource that
// watches resume from. A write is checked against the table, given the next resourceVersion,
// persisted (with the writes that arrived meanwhile, group-commit.ts), then applied to the table
// and announced to watchers in resourceVersion order — all before its promise resolves, so
// list-then-watch from the list's resourceVersion never misses a change.

import type { EncryptionConfig } from '../../api/encryption/encryption-config.js';
import { alreadyExists, conflict, internalError, notFound, staleResourceVersion } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { Datafiles, type DatafilesOptions, type StoredRecord } from './datafiles.js';
import { deepFreeze } from './deep-freeze.js';
import { EventLog, EventLogBudget, type LoggedEvent } from './event-log.js';
import { GroupCommit } from './group-commit.js';
import { listPage } from './list-page.js';
import { compileFilter } from './object-filter.js';
import { groupResourceOf, keyOfObject, storageKey } from './object-key.js';
import { ObjectTable } from './object-table.js';
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
} from './store.js';
import { parseWatchResourceVersion, watchBacklog } from './watch-backlog.js';
import { WatcherSet } from './watcher-set.js';

export interface NedbStoreOptions {
  /** Files go to `<dataDir>/store/`. Required unless inMemory. */
  dataDir?: string;
  /** Keep nothing on disk (tests, dry runs). */
  inMemory?: boolean;
  /** Events kept per resource for watches to resume from; older resourceVersions get 410. */
  eventLogCapacity?: number;
  /** Bytes of history kept over all resources (default 256 MiB); the oldest goes first. */
  eventLogBytes?: number;
  /** How often datafiles are rewritten to drop superseded lines (only appended to in between). */
  compactionIntervalMs?: number;
  /** Errors no caller is waiting for (a watch callback that threw, a failed compaction). */
  onBackgroundError?: (err: unknown) => void;
  /** Encryption at rest by resource (the data dir's EncryptionConfiguration); absent: plain. */
  encryption?: EncryptionConfig;
  /** Where the store reports what it repaired on open (torn or corrupt lines dropped). */
  log?: Logger;
  /** Test seam: how datafiles' append handles are opened (to inject write failures). */
  openAppend?: DatafilesOptions['openAppend'];
}

/** One change on its way through a round of group commit. */
interface StoreWrite {
  resource: ResourceName;
  key: string;
  event: LoggedEvent;
  /** What is appended to the datafile; undefined for a removal. */
  record: StoredRecord | undefined;
}

interface ResourceState {
  table: ObjectTable;
  log: EventLog;
  watchers: WatcherSet;
}

export class NedbStore implements Store {
  private readonly files: Datafiles;
  private readonly resources = new Map<ResourceName, ResourceState>();
  private readonly commits = new GroupCommit<StoreWrite>({
    persist: (round) => this.persist(round),
    apply: (write) => this.commit(write),
  });
  private readonly eventLogCapacity: number;
  readonly eventLogBudget: EventLogBudget;
  private readonly onBackgroundError: (err: unknown) => void;
  private phase: 'new' | 'open' | 'closed' = 'new';
  /** The resourceVersion at open(): where every event log's window starts. */
  private openedAt = 0;
  /** The newest resourceVersion whose change is visible (applied and announced). */
  private committed = 0;
  /** The newest resourceVersion handed to a write; ahead of `committed` while one is persisting. */
  private allocated = 0;

  constructor(options: NedbStoreOptions) {
    if (!options.inMemory && !options.dataDir)
      throw new Error('NedbStore needs a dataDir unless inMemory is set');
    const dir = options.inMemory ? undefined : `${options.dataDir}/store`;
    this.onBackgroundError =
      options.onBackgroundError ??
      ((err) =>
        (options.log ?? silentLogger).error(
          `background error: ${err instanceof Error ? err.message : String(err)}`,
        ));
    this.files = new Datafiles({
      dir,
      compactionIntervalMs: options.compactionIntervalMs ?? 5 * 60_000,
      onCompactionError: this.onBackgroundError,
      onDropped: (path, count) =>
        (options.log ?? silentLogger).warn(`${path}: dropped ${count} torn or corrupt line(s)`),
      ...(options.encryption ? { encryption: options.encryption } : {}),
      ...(options.openAppend ? { openAppend: options.openAppend } : {}),
    });
    this.eventLogCapacity = options.eventLogCapacity ?? 10_000;
    this.eventLogBudget = new EventLogBudget(options.eventLogBytes);
  }

  async open(): Promise<void> {
    if (this.phase !== 'new') throw internalError('the store can be opened only once');
    const { records, resourceVersion } = await this.files.open();
    // Surviving objects carry their own resourceVersions; the meta counter covers deletes.
    let newest = resourceVersion;
    for (const list of records.values()) for (const record of list) newest = Math.max(newest, record.rv);
    this.openedAt = this.committed = this.allocated = newest;
    for (const [resource, list] of records) {
      this.state(resource).table.fill(
        list.map((record) => [record._id, deepFreeze(record.object as KubeObject)]),
      );
    }
    this.phase = 'open';
  }

  async close(): Promise<void> {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    await this.commits.idle();
    for (const state of this.resources.values()) state.watchers.stopAll();
    await this.files.close();
  }

  currentResourceVersion(): string {
    return String(this.committed);
  }

  async get(resource: ResourceName, key: ObjectKey): Promise<KubeObject | undefined> {
    this.assertOpen();
    return this.resources.get(resource)?.table.get(storageKey(key));
  }

  async list(resource: ResourceName, options: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    return listPage(this.resources.get(resource)?.table, options, this.currentResourceVersion());
  }

  async create(resource: ResourceName, object: KubeObject): Promise<KubeObject> {
    const key = keyOfObject(object);
    const { event } = await this.write(resource, key, () => {
      if (this.resources.get(resource)?.table.get(key)) {
        throw alreadyExists(groupResourceOf(resource), object.metadata.name!);
      }
      const rv = this.allocate();
      const { stored, json } = storedForm(object, rv);
      return {
        event: { type: 'ADDED', object: stored, prevObject: undefined, rv, bytes: json.length },
        record: { _id: key, rv, json },
      };
    });
    return event.object;
  }

  async update(resource: ResourceName, object: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const key = keyOfObject(object);
    const { event } = await this.write(resource, key, () => {
      const current = this.existing(resource, key, object.metadata.name!);
      const expected = options.resourceVersion || object.metadata.resourceVersion || undefined;
      this.checkPrecondition(resource, current, expected);
      const rv = this.allocate();
      const { stored, json } = storedForm(object, rv);
      return {
        event: { type: 'MODIFIED', object: stored, prevObject: current, rv, bytes: json.length },
        record: { _id: key, rv, json },
      };
    });
    return event.object;
  }

  async delete(
    resource: ResourceName,
    objectKey: ObjectKey,
    options: WriteOptions = {},
  ): Promise<KubeObject> {
    const key = storageKey(objectKey);
    const { event } = await this.write(resource, key, () => {
      const current = this.existing(resource, key, objectKey.name);
      this.checkPrecondition(resource, current, options.resourceVersion || undefined);
      const rv = this.allocate();
      const deleted = deepFreeze({
        ...current,
        metadata: { ...current.metadata, resourceVersion: String(rv) },
      });
      return { event: { type: 'DELETED', object: deleted, prevObject: current, rv }, record: undefined };
    });
    return event.object;
  }

  watch(resource: ResourceName, options: WatchOptions, onEvent: (event: StoreEvent) => void): Watch {
    this.assertOpen();
    const matches = compileFilter(options);
    const from = parseWatchResourceVersion(options.resourceVersion);
    const state = this.state(resource);
    const backlog = watchBacklog(state, from, options.namespace, matches);
    return state.watchers.add(matches, onEvent, backlog, Math.max(from, this.committed));
  }

  /** Checks and numbers the change once no earlier write to the object is in flight; see group-commit.ts. */
  private write(
    resource: ResourceName,
    key: string,
    prepare: () => Pick<StoreWrite, 'event' | 'record'>,
  ): Promise<StoreWrite> {
    return this.commits.submit(`${resource}\0${key}`, () => {
      this.assertOpen();
      return { resource, key, ...prepare() };
    });
  }

  /** One round of writes: one append per datafile touched; each write's error, if any. */
  private async persist(round: StoreWrite[]): Promise<unknown[]> {
    const errors: unknown[] = round.map(() => undefined);
    const removals = round.flatMap((w, i) => (w.record ? [] : [i]));
    if (removals.length > 0) {
      // Counter first: were the process killed between the appends, a removed object would still
      // exist and the counter would only be ahead — never behind an acknowledged resourceVersion.
      try {
        await this.files.saveResourceVersion(Math.max(...removals.map((i) => round[i]!.event.rv)));
      } catch (err) {
        for (const i of removals) errors[i] = err;
      }
    }
    const byResource = new Map<ResourceName, number[]>();
    round.forEach((w, i) => {
      if (errors[i] !== undefined) return;
      const indexes = byResource.get(w.resource) ?? [];
      indexes.push(i);
      byResource.set(w.resource, indexes);
    });
    await Promise.all(
      [...byResource].map(async ([resource, indexes]) => {
        try {
          await this.files.write(
            resource,
            indexes.map((i) => round[i]!.record ?? { _id: round[i]!.key, removed: true }),
          );
        } catch (err) {
          for (const i of indexes) errors[i] = err;
        }
      }),
    );
    return errors;
  }

  /** Numbers are handed out in the order writes join rounds; one burnt by a failed write stays unused. */
  private allocate(): number {
    this.allocated += 1;
    return this.allocated;
  }

  private commit({ resource, key, event }: StoreWrite): void {
    const state = this.state(resource);
    if (event.type === 'DELETED') state.table.delete(key);
    else state.table.set(key, event.object);
    state.log.append(event);
    this.committed = event.rv;
    state.watchers.dispatch(event);
  }

  private existing(resource: ResourceName, key: string, name: string): KubeObject {
    const current = this.resources.get(resource)?.table.get(key);
    if (!current) throw notFound(groupResourceOf(resource), name);
    return current;
  }

  private checkPrecondition(resource: ResourceName, current: KubeObject, expected: string | undefined): void {
    if (expected !== undefined && expected !== current.metadata.resourceVersion) {
      throw conflict(groupResourceOf(resource), current.metadata.name ?? '', staleResourceVersion);
    }
  }

  private state(resource: ResourceName): ResourceState {
    let state = this.resources.get(resource);
    if (!state) {
      state = {
        table: new ObjectTable(),
        log: new EventLog(this.eventLogCapacity, this.openedAt, this.eventLogBudget),
        watchers: new WatcherSet(this.onBackgroundError),
      };
      this.resources.set(resource, state);
    }
    return state;
  }

  private assertOpen(): void {
    if (this.phase !== 'open') throw internalError(`the store is ${this.phase}, not open`);
  }
}

/**
 * The object as stored: a private copy (the caller keeps its own object) carrying the new
 * resourceVersion, frozen. Going through JSON makes it exactly what a reload would produce.
 */
function storedForm(object: KubeObject, rv: number): { stored: KubeObject; json: string } {
  const json = JSON.stringify({ ...object, metadata: { ...object.metadata, resourceVersion: String(rv) } });
  return { stored: deepFreeze(JSON.parse(json) as KubeObject), json };
}
