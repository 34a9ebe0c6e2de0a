// The agent's datafile: one nedb file (0600 in a 0700 directory: it holds sealed Secrets),
// appended to on every write and rewritten compacted when it is loaded and once the appended
// lines outgrow its live content. What nedb leaves to us:
// - a failed append (full disk) can leave a fragment that the next append would join, losing
//   both: the file is cut back to its length before the failed write, and no append is made
//   while that cannot be done;
// - nedb applies a write to its cache before appending it, so after a failure the file lags the
//   cache: the next successful write compacts, which brings the file up to it;
// - torn or corrupt lines are dropped, and said so with the file and the count;
// - a compaction cut short leaves `<file>~`, which is removed.
import { chmod, rename, rm, stat, truncate } from 'node:fs/promises';
import Datastore from 'nedb-promises';
import type { Logger } from '../../api/logger.js';
import { countTornLines } from './torn-lines.js';

/** Appended bytes beyond the compacted size that trigger a compaction (at least this much). */
const minCompactionSlack = 256 * 1024;

// nedb-promises forwards compactDatafileAsync to @seald-io/nedb 4 but does not declare it, nor
// the `modes` option.
interface Compactable {
  compactDatafileAsync(): Promise<void>;
}
type NedbOptions = Parameters<typeof Datastore.create>[0] & { modes: { fileMode: number; dirMode: number } };

export class StateDatafile<Doc extends { _id: string }> {
  /** Set when the file could not be read and was moved aside. */
  recovered: string | undefined;
  private compactedSize = 0;
  private fileSize = 0;
  private written = 0;
  private torn = false;
  private unsynced = false;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    readonly db: Datastore<Doc>,
  ) {}

  /** Loads (and compacts) `file`; an unreadable one is moved aside and the state starts empty. */
  static async open<Doc extends { _id: string }>(
    file: string,
    log: Logger,
  ): Promise<{ datafile: StateDatafile<Doc>; docs: Doc[] }> {
    if ((await sizeOf(file, -1)) >= 0) await rm(`${file}~`, { force: true });
    const options: NedbOptions = {
      filename: file,
      corruptAlertThreshold: 1,
      modes: { fileMode: 0o600, dirMode: 0o700 },
    };
    let db = Datastore.create(options) as Datastore<Doc>;
    let recovered: string | undefined;
    let docs: Doc[];
    try {
      const dropped = await countTornLines(file);
      await db.load();
      docs = await db.find<Doc>({});
      if (dropped > 0) log.warn(`${file}: dropped ${dropped} torn or corrupt line(s)`);
    } catch (err) {
      // nedb compacts as it loads: on a full disk that fails, and the file is fine.
      if (noSpace(err)) {
        await rm(`${file}~`, { force: true });
        throw new Error(`cannot open ${file}: ${(err as Error).message}`);
      }
      recovered = `local state unreadable (${(err as Error).message}); moved aside, starting empty`;
      log.info(`${recovered}`);
      await rename(file, `${file}.broken-${Date.now()}`).catch(() => {});
      db = Datastore.create(options) as Datastore<Doc>;
      await db.load();
      docs = [];
    }
    await chmod(file, 0o600); // nedb keeps the mode of a file from before (0644)
    const datafile = new StateDatafile(file, db);
    datafile.recovered = recovered;
    datafile.fileSize = datafile.compactedSize = await sizeOf(file);
    datafile.written = datafile.fileSize; // the compaction on load wrote the file once
    return { datafile, docs };
  }

  /** Bytes written to the file since open, the compaction on open included. */
  get bytesWritten(): number {
    return this.written;
  }

  /** Runs one nedb write, after every earlier one: cutting a failure back must not cut a later write. */
  write(operation: (db: Datastore<Doc>) => Promise<unknown>): Promise<void> {
    const result = this.tail.then(async () => {
      if (this.torn) await this.cutBack();
      try {
        await operation(this.db);
      } catch (err) {
        this.unsynced = true;
        this.torn = true;
        await this.cutBack().catch(() => {}); // else tried again before the next append
        throw err;
      }
      const size = await sizeOf(this.file);
      this.written += Math.max(0, size - this.fileSize);
      this.fileSize = size;
      const slack = size - this.compactedSize > Math.max(minCompactionSlack, 2 * this.compactedSize);
      // A write just got in, so there is room again: bring the file up to nedb's cache.
      if (slack || this.unsynced) await this.compactNow().catch(() => {});
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Rewrites the file with one line per document (after every queued write). */
  compact(): Promise<void> {
    const result = this.tail.then(() => this.compactNow());
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async compactNow(): Promise<void> {
    try {
      await (this.db as unknown as Compactable).compactDatafileAsync();
    } catch (err) {
      await rm(`${this.file}~`, { force: true }); // nedb's temp file, half written
      throw err;
    }
    this.unsynced = false;
    this.fileSize = this.compactedSize = await sizeOf(this.file);
    this.written += this.fileSize;
  }

  private async cutBack(): Promise<void> {
    await truncate(this.file, this.fileSize);
    this.torn = false;
  }
}

function noSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

async function sizeOf(file: string, missing = 0): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return missing;
  }
}
