// One datafile of the store: JSON documents, one per line, keyed by `_id`, appended on every
// change (`{"$$deleted":true,"_id":…}` for a removal) and rewritten compacted now and then —
// nedb's datafile format, so files from before read unchanged. What nedb did not give us:
// - a failed append never leaves a fragment that the next append would join: the file is cut
//   back to its last good length first, and an append is refused while that cannot be done;
// - torn or corrupt lines are dropped on load with one message naming the file and the count,
//   whatever the file's size (nedb refused to start past 10% corrupt lines: one in a small file);
// - a failed compaction removes its temporary file; files are 0600.
import { constants } from 'node:fs';
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export const fileMode = 0o600;

export interface Doc {
  _id: string;
  $$deleted?: true;
  [field: string]: unknown;
}

/** The calls RecordFile makes on its append handle; tests inject failing ones. */
export type AppendHandle = Pick<FileHandle, 'write' | 'truncate' | 'close' | 'chmod'>;

export interface RecordFileOptions {
  /** Told once per load that dropped lines (`count` > 0). */
  onDropped?: (path: string, count: number) => void;
  /** Opens the append handle (O_APPEND); the default opens the real file. */
  openAppend?: (path: string) => Promise<AppendHandle>;
}

export class RecordFile {
  /** Documents as lines, by _id: what a compaction writes. */
  private readonly live = new Map<string, string>();
  private lines = 0;
  /** Bytes known good; a failed append cuts the file back to this. */
  private size = 0;
  /** Set while a failed append's bytes may still be in the file. */
  private torn = false;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private handle: AppendHandle,
    private readonly options: RecordFileOptions,
  ) {}

  /** Loads the file (creating it empty), cut back to its last complete line. */
  static async open(
    path: string,
    options: RecordFileOptions = {},
  ): Promise<{ file: RecordFile; docs: Doc[] }> {
    await recoverCompaction(path);
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    const handle = await (options.openAppend ?? openAppend)(path);
    const file = new RecordFile(path, handle, options);
    await handle.chmod(fileMode); // installs from before were 0644
    const dropped = file.load(text);
    if (dropped > 0) options.onDropped?.(path, dropped);
    // A last line without its newline is a torn append: cut it off before appending after it.
    if (file.size < Buffer.byteLength(text)) await handle.truncate(file.size);
    if (dropped > 0 || file.wasteful()) await file.compact().catch(() => {});
    return { file, docs: [...file.live.values()].map((line) => JSON.parse(line) as Doc) };
  }

  /** Appends the documents as one write; resolves once the bytes are in the file. */
  append(docs: readonly Doc[]): Promise<void> {
    return this.serialized(async () => {
      if (this.torn) await this.cutBack();
      const lines = docs.map((doc) => JSON.stringify(doc));
      const bytes = Buffer.from(`${lines.join('\n')}\n`);
      try {
        await writeAll(this.handle, bytes);
      } catch (err) {
        this.torn = true;
        await this.cutBack().catch(() => {}); // retried before the next append
        throw err;
      }
      this.size += bytes.length;
      this.lines += lines.length;
      docs.forEach((doc, i) => {
        if (doc.$$deleted) this.live.delete(doc._id);
        else this.live.set(doc._id, lines[i]!);
      });
    });
  }

  /** Rewrites the file with one line per live document, if appends superseded any. */
  compactIfWasteful(): Promise<void> {
    return this.serialized(async () => {
      if (this.wasteful()) await this.compact();
    });
  }

  close(): Promise<void> {
    return this.serialized(() => this.handle.close());
  }

  private wasteful(): boolean {
    return this.lines > this.live.size;
  }

  /** Parses `text`, keeping the byte length up to the last complete line; returns lines dropped. */
  private load(text: string): number {
    let dropped = 0;
    let offset = 0;
    for (;;) {
      const end = text.indexOf('\n', offset);
      const line = text.slice(offset, end === -1 ? undefined : end);
      if (end === -1) {
        if (line !== '') dropped += 1;
        return dropped;
      }
      offset = end + 1;
      this.size += Buffer.byteLength(line) + 1;
      if (line === '') continue;
      const doc = parseDoc(line);
      if (!doc) dropped += 1;
      else {
        this.lines += 1;
        if (doc.$$deleted) this.live.delete(doc._id);
        else this.live.set(doc._id, line);
      }
    }
  }

  private async cutBack(): Promise<void> {
    await this.handle.truncate(this.size);
    this.torn = false;
  }

  /** Temp file, fsync, rename, fsync the directory; the temp file never outlives a failure. */
  private async compact(): Promise<void> {
    const temp = `${this.path}~`;
    const text = [...this.live.values()].map((line) => `${line}\n`).join('');
    let next: AppendHandle | undefined;
    try {
      const out = await open(temp, 'w', fileMode);
      try {
        await out.writeFile(text);
        await out.sync();
      } finally {
        await out.close();
      }
      // Opened before the rename, so appends can never go to the replaced file's inode.
      next = await (this.options.openAppend ?? openAppend)(temp);
      await rename(temp, this.path);
    } catch (err) {
      await next?.close();
      await rm(temp, { force: true });
      throw err;
    }
    await syncDir(dirname(this.path));
    const previous = this.handle;
    this.handle = next;
    await previous.close().catch(() => {});
    this.size = Buffer.byteLength(text);
    this.lines = this.live.size;
    this.torn = false;
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function parseDoc(line: string): Doc | undefined {
  try {
    const doc = JSON.parse(line) as Doc;
    return typeof doc === 'object' && doc !== null && typeof doc._id === 'string' ? doc : undefined;
  } catch {
    return undefined;
  }
}

function openAppend(path: string): Promise<AppendHandle> {
  return open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, fileMode);
}

/** A write may land partly; keep writing the rest until all of it is in or one write throws. */
async function writeAll(handle: AppendHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
    written += bytesWritten;
  }
}

/**
 * A compaction killed between writing its temp file and the rename left `<file>~`: nedb (and we)
 * rename only a complete temp file, so it replaces a missing datafile and is otherwise stale.
 */
async function recoverCompaction(path: string): Promise<void> {
  const temp = `${path}~`;
  const exists = async (p: string) =>
    open(p, 'r').then(
      (h) => h.close().then(() => true),
      () => false,
    );
  if (!(await exists(temp))) return;
  if (await exists(path)) await rm(temp, { force: true });
  else await rename(temp, path);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}
