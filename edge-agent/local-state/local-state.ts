// The agent's local state: one nedb file, <data dir>/state/agent.db, holding the last applied
// desired state (so pods run from it when the hub is unreachable: agent start, crash, reboot)
// the outbox (statuses and events not yet delivered) and since when the hub has been out of
// reach (the disconnect policy counts from it across restarts). The callers keep writes rare (the
// desired state only when its revision changes, the outbox coalesced); how the file is written,
// compacted and repaired is state-datafile.ts; the Secrets in it are sealed (state-encryption.ts).
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type AesGcmTransformer, DecryptError } from '../../api/encryption/aes-gcm-transformer.js';
import { type Logger, silentLogger } from '../../api/logger.js';
import type { AgentDesired } from '../../api/mqtt/payloads/desired-state.js';
import type { OutboxEntry } from '../hub-link/outbox.js';
import { StateDatafile } from './state-datafile.js';
import {
  type DesiredDoc,
  loadStateEncryption,
  openDesired,
  sealDesired,
  stateEncryptionFile,
} from './state-encryption.js';

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

export class LocalState {
  /** Set when the file could not be read and the agent started from nothing. */
  recovered: string | undefined;
  private desiredState: AgentDesired | undefined;
  private loadedOutbox: OutboxEntry[] = [];
  private keptOfflineSince: number | undefined;
  private readonly persisted = new Map<string, number>();
  /** What was last written, to write only when the state (own or shared) changed. */
  private savedJson: string | undefined;
  /** The desired state was read in plaintext or under an older key. */
  private staleDesired = false;

  private constructor(
    private readonly datafile: StateDatafile<Doc>,
    private readonly secrets: AesGcmTransformer,
  ) {}

  /** Opens (and compacts) `<dataDir>/state/agent.db`; an unreadable file is moved aside. */
  static async open(dataDir: string, log: Logger = silentLogger): Promise<LocalState> {
    const dir = join(dataDir, 'state');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700); // installs from before were 0755
    const secrets = loadStateEncryption(dataDir);
    const { datafile, docs } = await StateDatafile.open<Doc>(join(dir, 'agent.db'), log);
    const state = new LocalState(datafile, secrets);
    state.recovered = datafile.recovered;
    try {
      state.readDocs(docs);
    } catch (err) {
      if (!(err instanceof DecryptError)) throw err;
      const keys = join(dataDir, stateEncryptionFile);
      throw new Error(`cannot read ${datafile.file}: its Secrets: ${err.message} (keys: ${keys})`);
    }
    if (state.staleDesired) await state.resealDesired(log);
    return state;
  }

  desired(): AgentDesired | undefined {
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
    await this.datafile.write((db) => db.update({ _id: 'link' }, doc, { upsert: true }));
    this.keptOfflineSince = offlineSince;
  }

  /** Bytes written to the file since open, the compaction on open included. */
  get bytesWritten(): number {
    return this.datafile.bytesWritten;
  }

  /** Writes only when the state differs from the one stored (own revision or shared objects). */
  async saveDesired(state: AgentDesired): Promise<void> {
    const json = JSON.stringify(state);
    if (json === this.savedJson) return;
    const doc = sealDesired(state, this.secrets);
    await this.datafile.write((db) => db.update({ _id: 'desired' }, doc, { upsert: true }));
    this.savedJson = json;
    this.desiredState = state;
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
    // Changed entries are removed too: a failed insert left them in nedb's cache, and inserting
    // them again would be refused. Removing what nedb does not hold writes nothing.
    const ids = [...new Set([...removals, ...changed.map((e) => e.key)])].map((key) => outboxPrefix + key);
    await this.datafile.write((db) => db.remove({ _id: { $in: ids } }, { multi: true }));
    for (const key of removals) this.persisted.delete(key);
    if (changed.length > 0) {
      await this.datafile.write((db) => db.insert(changed.map(toDoc)));
      for (const e of changed) this.persisted.set(e.key, e.version);
    }
  }

  private readDocs(docs: Doc[]): void {
    for (const doc of docs) {
      try {
        if (doc._id === 'link') {
          const since = (doc as LinkDoc).offlineSince;
          this.keptOfflineSince = typeof since === 'number' ? since : undefined;
        } else if (doc._id === 'desired') {
          const { state, stale } = openDesired(doc as DesiredDoc, this.secrets);
          this.desiredState = state;
          this.savedJson = JSON.stringify(state);
          this.staleDesired = stale;
        } else if (doc._id.startsWith(outboxPrefix)) {
          const entry = fromDoc(doc as OutboxDoc);
          this.loadedOutbox.push(entry);
          this.persisted.set(entry.key, entry.version);
        }
      } catch (err) {
        if (err instanceof DecryptError) throw err; // a wrong key is not a torn line
        // One unparsable document is skipped; the rest still count.
      }
    }
    this.loadedOutbox.sort((a, b) => a.seq - b.seq);
  }

  /** Plaintext Secrets from before, or sealed under an older key: seal them with the current key. */
  private async resealDesired(log: Logger): Promise<void> {
    const doc = sealDesired(this.desiredState!, this.secrets);
    try {
      await this.datafile.write((db) => db.update({ _id: 'desired' }, doc, { upsert: true }));
      await this.datafile.compact(); // the superseded line still held the old form
      this.staleDesired = false;
    } catch (err) {
      log.warn(`Secrets not re-encrypted yet: ${(err as Error).message}`);
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
