// The agent's local state: one nedb file under <data dir>/state/ holding the last applied
// desired state (so pods run from it when the hub is unreachable: agent start, crash, reboot)
// the outbox (statuses and events not yet delivered) and since when the hub has been out of
// reach (the disconnect policy counts from it across restarts). nedb appends a line per changed
// document and rewrites the file compacted when it loads it; the callers keep writes rare (the
// desired state only when its revision changes, the outbox coalesced), and the file is also
// compacted once the appended lines outgrow its live content.
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Datastore from 'nedb-promises';
import type { DesiredState } from '../../api/mqtt/payloads/desired-state.js';
import type { OutboxEntry } from '../hub-link/outbox.js';

/** Objects travel as JSON text: nedb refuses field names with '.', and label keys have them. */
interface DesiredDoc {
  _id: 'desired';
  revision: number;
  json: string;
}

interface OutboxDoc {
  _id: string;
  seq: number;
  version: number;
  json: string;
}

/** Since when the hub has been out of reach; null while in touch. */
interface LinkDoc {
  _id: 'link';
  offlineSince: number | null;
}

type Doc = DesiredDoc | OutboxDoc | LinkDoc;

const outboxPrefix = 'outbox/';
/** Appended bytes beyond the compacted size that trigger a compaction (at least this much). */
const minCompactionSlack = 256 * 1024;

// nedb-promises forwards compactDatafileAsync to @seald-io/nedb 4 but does not declare it.
interface Compactable {
  compactDatafileAsync(): Promise<void>;
}

export class LocalState {
  /** Set when the file could not be read and the agent started from nothing. */
  recovered: string | undefined;
  private desiredState: DesiredState | undefined;
  private loadedOutbox: OutboxEntry[] = [];
  private keptOfflineSince: number | undefined;
  private readonly persisted = new Map<string, number>();
  private savedRevision: number | undefined;
  private compactedSize = 0;
  private fileSize = 0;
  private written = 0;

  private constructor(
    private readonly file: string,
    private readonly db: Datastore<Doc>,
  ) {}

  /** Opens (and compacts) `<dataDir>/state/agent.db`; an unreadable file is moved aside. */
  static async open(dataDir: string, log: (line: string) => void = () => {}): Promise<LocalState> {
    const dir = join(dataDir, 'state');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'agent.db');
    // A torn last line (power lost mid-append) is dropped instead of refusing to start.
    const create = () => Datastore.create({ filename: file, corruptAlertThreshold: 1 }) as Datastore<Doc>;
    let db = create();
    let recovered: string | undefined;
    let docs: Doc[];
    try {
      await checkReadable(file);
      await db.load();
      docs = await db.find<Doc>({});
    } catch (err) {
      recovered = `local state unreadable (${(err as Error).message}); moved aside, starting empty`;
      log(`local state: ${recovered}`);
      await rename(file, `${file}.broken-${Date.now()}`).catch(() => {});
      db = create();
      await db.load();
      docs = [];
    }
    const state = new LocalState(file, db);
    state.recovered = recovered;
    state.readDocs(docs);
    state.fileSize = state.compactedSize = await sizeOf(file);
    state.written = state.fileSize; // the compaction on load wrote the file once
    return state;
  }

  desired(): DesiredState | undefined {
    return this.desiredState;
  }

  outbox(): OutboxEntry[] {
    return this.loadedOutbox;
  }

  /** Since when the hub was out of reach, as last kept; undefined: in touch (or never kept). */
  offlineSince(): number | undefined {
    return this.keptOfflineSince;
  }

  /** Writes only when the value changes: once per outage start and end. */
  async saveOfflineSince(offlineSince: number | undefined): Promise<void> {
    if (offlineSince === this.keptOfflineSince) return;
    const doc: LinkDoc = { _id: 'link', offlineSince: offlineSince ?? null };
    await this.db.update({ _id: 'link' }, doc, { upsert: true });
    this.keptOfflineSince = offlineSince;
    await this.afterWrite();
  }

  /** Bytes written to the file since open, the compaction on open included. */
  get bytesWritten(): number {
    return this.written;
  }

  /** Writes only when the revision differs from the one stored. */
  async saveDesired(state: DesiredState): Promise<void> {
    if (state.revision === this.savedRevision) return;
    const doc: DesiredDoc = { _id: 'desired', revision: state.revision, json: JSON.stringify(state) };
    await this.db.update({ _id: 'desired' }, doc, { upsert: true });
    this.savedRevision = state.revision;
    this.desiredState = state;
    await this.afterWrite();
  }

  /** Makes the stored outbox equal to `entries`, writing only the entries that changed. */
  async saveOutbox(entries: readonly OutboxEntry[]): Promise<void> {
    const current = new Map(entries.map((e) => [e.key, e.version]));
    const changed = entries.filter((e) => this.persisted.get(e.key) !== e.version);
    // Gone, or replaced by a newer version (nedb cannot insert over an existing _id).
    const removals = [...this.persisted]
      .filter(([key, version]) => current.get(key) !== version)
      .map(([key]) => key);
    if (removals.length === 0 && changed.length === 0) return;
    if (removals.length > 0) {
      await this.db.remove({ _id: { $in: removals.map((key) => outboxPrefix + key) } }, { multi: true });
      for (const key of removals) this.persisted.delete(key);
    }
    if (changed.length > 0) {
      await this.db.insert(changed.map(toDoc));
      for (const e of changed) this.persisted.set(e.key, e.version);
    }
    await this.afterWrite();
  }

  private readDocs(docs: Doc[]): void {
    for (const doc of docs) {
      try {
        if (doc._id === 'link') {
          const since = (doc as LinkDoc).offlineSince;
          this.keptOfflineSince = typeof since === 'number' ? since : undefined;
        } else if (doc._id === 'desired') {
          this.desiredState = JSON.parse(doc.json) as DesiredState;
          this.savedRevision = (doc as DesiredDoc).revision;
        } else if (doc._id.startsWith(outboxPrefix)) {
          const entry = fromDoc(doc as OutboxDoc);
          this.loadedOutbox.push(entry);
          this.persisted.set(entry.key, entry.version);
        }
      } catch {
        // One unparsable document is skipped; the rest still count.
      }
    }
    this.loadedOutbox.sort((a, b) => a.seq - b.seq);
  }

  private async afterWrite(): Promise<void> {
    const size = await sizeOf(this.file);
    this.written += Math.max(0, size - this.fileSize);
    this.fileSize = size;
    if (size - this.compactedSize > Math.max(minCompactionSlack, 2 * this.compactedSize)) {
      await (this.db as unknown as Compactable).compactDatafileAsync();
      this.fileSize = this.compactedSize = await sizeOf(this.file);
      this.written += this.fileSize;
    }
  }
}

function toDoc(entry: OutboxEntry): OutboxDoc {
  return {
    _id: outboxPrefix + entry.key,
    seq: entry.seq,
    version: entry.version,
    json: JSON.stringify(entry.value),
  };
}

function fromDoc(doc: OutboxDoc): OutboxEntry {
  return {
    key: doc._id.slice(outboxPrefix.length),
    seq: doc.seq,
    version: doc.version,
    value: JSON.parse(doc.json),
  };
}

/** nedb reports some read errors (EISDIR, EIO) from a stream nobody listens to: check first. */
async function checkReadable(file: string): Promise<void> {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!handle) return;
  try {
    await handle.read(Buffer.alloc(1), 0, 1, 0);
  } finally {
    await handle.close();
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}
