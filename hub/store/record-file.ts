// One datafile of the store: JSON documents, one per line, keyed by `_id`, appended on every
// change (`{"$$deleted":true,"_id":…}` for a removal) and rewritten compacted now and then —
// nedb's datafile format, so files from before read unchanged. What nedb did not give us:
// - a failed append never leaves a fragment that the next append would join: the file is cut
//   back to its last good length first, and an append is refused while that cannot be done;
// - torn or corrupt lines are dropped on load with one message naming the file and the count,
//   whatever the file's size (nedb refused to start past 10% corrupt lines: one in a small file);
// - a failed compaction removes its temporary file; files are 0600.
import { constants } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { eachLine, eachSpan, type LineSpan } from './line-reader.js';

export const fileMode = 0o600;

export interface Doc {
  _id: string;
  $$deleted?: true;
  [field: string]: unknown;
}

/**
 * A field value that is JSON text already, written into the line as it is: an object's JSON
 * embedded as a string was escaped on every write (every quote) and parsed twice on every load.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A document as one line: its fields in order, RawJson values spliced in unescaped. */
function lineOf(doc: Doc): string {
  const fields = Object.entries(doc)
    .filter(([, value]) => value !== undefined)
    .map(
      ([field, value]) =>
        `${JSON.stringify(field)}:${value instanceof RawJson ? value.text : JSON.stringify(value)}`,
    );
  return `{${fields.join(',')}}`;
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
  /**
   * The latest line of each live document, by _id: what a compaction copies. Positions, not the
   * lines — holding every line cost as much memory again as the objects' own JSON.
   */
  private readonly live = new Map<string, LineSpan>();
  private lines = 0;
  /** Bytes known good; a failed append cuts the file back to this. */
  private size = 0;
  /** Set while a failed append's bytes may still be in the file. */
  private torn = false;
  private tail: Promise<unknown> = Promise.resolve();
  private compacting = false;
  private closed = false;

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
    const handle = await (options.openAppend ?? openAppend)(path);
    const file = new RecordFile(path, handle, options);
    await handle.chmod(fileMode); // installs from before were 0644
    const { dropped, docs, bytes } = await file.load();
    if (dropped > 0) options.onDropped?.(path, dropped);
    // A last line without its newline is a torn append: cut it off before appending after it.
    if (file.size < bytes) await handle.truncate(file.size);
    // Dropped lines are rewritten away now; superseded ones wait for the periodic compaction.
    if (dropped > 0) await file.compact().catch(() => {});
    return { file, docs: [...docs.values()] };
  }

  /** Appends the documents as one write; resolves once the bytes are in the file. */
  append(docs: readonly Doc[]): Promise<void> {
    return this.serialized(async () => {
      if (this.torn) await this.cutBack();
      const lines = docs.map(lineOf);
      const bytes = Buffer.from(`${lines.join('\n')}\n`);
      try {
        await writeAll(this.handle, bytes);
      } catch (err) {
        this.torn = true;
        await this.cutBack().catch(() => {}); // retried before the next append
        throw err;
      }
      let offset = this.size;
      docs.forEach((doc, i) => {
        const length = Buffer.byteLength(lines[i]!);
        if (doc.$$deleted) this.live.delete(doc._id);
        else this.live.set(doc._id, { offset, length });
        offset += length + 1;
      });
      this.size += bytes.length;
      this.lines += lines.length;
    });
  }

  /** Rewrites the file with one line per live document, if appends superseded any. */
  async compactIfWasteful(): Promise<void> {
    if (this.compacting) return;
    this.compacting = true;
    try {
      await this.compact();
    } finally {
      this.compacting = false;
    }
  }

  close(): Promise<void> {
    return this.serialized(() => {
      this.closed = true;
      return this.handle.close();
    });
  }

  private wasteful(): boolean {
    return this.lines > this.live.size;
  }

  /**
   * The live documents, the lines dropped, and the bytes read (`size` becomes the length up to
   * the last complete line). The file is read in chunks, never as one string: a file past V8's
   * longest string (512 MiB, which a large rollout's appends reach between compactions) could not
   * be read at all, and the hub could not start again. Two passes: the first places each line by
   * its opening bytes, as this file writes them (`{"_id":"…"`, and whether it is a removal), and
   * parses only lines in another shape; the second parses the lines still live. After a rollout
   * most lines are superseded versions, and parsing them was most of a hub's start. A live line
   * that does not parse sends the load back to parsing every line in the first pass
   * (`everyLine`), which keeps the version before a corrupt last line, as it always did.
   */
  private async load(everyLine = false): Promise<{ dropped: number; docs: Map<string, Doc>; bytes: number }> {
    const parsedEarly = new Map<string, Doc>();
    let dropped = 0;
    const { bytes, torn } = await eachLine(this.path, (data, start, end) => {
      const span = { offset: this.size, length: end - start };
      this.size += span.length + 1;
      if (span.length === 0) return;
      const shape = everyLine ? undefined : shapeOf(data, start, end);
      const doc = shape ? undefined : parseDoc(data.toString('utf8', start, end));
      const id = shape?.id ?? doc?._id;
      if (id === undefined) {
        dropped += 1;
        return;
      }
      this.lines += 1;
      parsedEarly.delete(id);
      if (shape ? shape.removed : doc!.$$deleted) this.live.delete(id);
      else {
        this.live.set(id, span);
        if (doc) parsedEarly.set(id, doc);
      }
    });
    if (torn > 0) dropped += 1; // cut off by open()
    const unparsed = [...this.live].filter(([id]) => !parsedEarly.has(id));
    unparsed.sort(([, a], [, b]) => a.offset - b.offset);
    const parsed = new Map<string, Doc>();
    let next = 0;
    await eachSpan(
      this.path,
      unparsed.map(([, span]) => span),
      (data, start, end) => {
        const id = unparsed[next++]![0];
        const doc = parseDoc(data.toString('utf8', start, end));
        if (doc?._id === id) parsed.set(id, doc);
      },
    );
    if (parsed.size < unparsed.length) {
      // A live line that looked right does not parse: load again parsing every line in order.
      this.live.clear();
      this.lines = 0;
      this.size = 0;
      return this.load(true);
    }
    const docs = new Map<string, Doc>();
    for (const id of this.live.keys()) docs.set(id, parsedEarly.get(id) ?? parsed.get(id)!);
    return { dropped, docs, bytes };
  }

  private async cutBack(): Promise<void> {
    await this.handle.truncate(this.size);
    this.torn = false;
  }

  /**
   * The live lines copied from the file into a temp file, fsync, rename, fsync the directory;
   * the temp file never outlives a failure. Appends go on while the bulk is copied (a pods file
   * of 100,000 objects takes seconds, and every write of the store used to wait for it: a
   * CREATE's p99 was 7.7 s in a 10,000-gateway rollout); only the bytes appended meanwhile are
   * copied after them with appends held, then the file is switched.
   */
  private async compact(): Promise<void> {
    const snapshot = await this.serialized(async () => {
      if (this.closed || !this.wasteful()) return undefined;
      if (this.torn) await this.cutBack();
      const spans = [...this.live.entries()].sort(([, a], [, b]) => a.offset - b.offset);
      return { spans, size: this.size, lines: this.lines };
    });
    if (!snapshot) return;
    const temp = `${this.path}~`;
    let out: FileHandle | undefined;
    let next: AppendHandle | undefined;
    try {
      const compacted = await this.copyLines(snapshot.spans.map(([, span]) => span));
      out = await open(temp, 'w', fileMode);
      await out.writeFile(compacted);
      await this.serialized(async () => {
        if (this.closed) throw new Error(`${this.path}: closed during compaction`);
        if (this.torn) await this.cutBack();
        const since = await this.readRange(snapshot.size, this.size);
        await writeAll(out!, since);
        await out!.sync();
        await out!.close();
        out = undefined;
        // Opened before the rename, so appends can never go to the replaced file's inode.
        next = await (this.options.openAppend ?? openAppend)(temp);
        await rename(temp, this.path);
        await syncDir(dirname(this.path));
        const previous = this.handle;
        this.handle = next;
        next = undefined;
        await previous.close().catch(() => {});
        this.remap(snapshot, compacted.length);
        this.size = compacted.length + since.length;
        this.lines = snapshot.spans.length + (this.lines - snapshot.lines);
      });
    } catch (err) {
      await out?.close().catch(() => {});
      await next?.close().catch(() => {});
      await rm(temp, { force: true });
      throw err;
    }
  }

  /**
   * Positions in the compacted file: a line live at the snapshot moved to its place in the copy;
   * one appended since sits after the copy, as far past it as it was past the snapshot's end.
   */
  private remap(snapshot: { spans: Array<[string, LineSpan]>; size: number }, copiedBytes: number): void {
    const copiedAt = new Map<string, number>();
    let offset = 0;
    for (const [id, { length }] of snapshot.spans) {
      copiedAt.set(id, offset);
      offset += length + 1;
    }
    for (const [id, span] of this.live) {
      span.offset =
        span.offset >= snapshot.size ? copiedBytes + (span.offset - snapshot.size) : copiedAt.get(id)!;
    }
  }

  /** Bytes [from, to) of the file. */
  private async readRange(from: number, to: number): Promise<Buffer> {
    const bytes = Buffer.alloc(to - from);
    if (bytes.length === 0) return bytes;
    const input = await open(this.path, 'r');
    try {
      const { bytesRead } = await input.read(bytes, 0, bytes.length, from);
      if (bytesRead < bytes.length) throw new Error(`${this.path}: shorter than its own index`);
    } finally {
      await input.close();
    }
    return bytes;
  }

  /** The lines at `spans` (in file order) with their newlines, read from the file in large chunks. */
  private async copyLines(spans: readonly LineSpan[]): Promise<Buffer> {
    const out = Buffer.allocUnsafe(spans.reduce((sum, span) => sum + span.length + 1, 0));
    let at = 0;
    await eachSpan(this.path, spans, (data, start, end) => {
      at += data.copy(out, at, start, end + 1);
    });
    return out;
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const idOpening = Buffer.from('{"_id":"');
const removalClosing = Buffer.from(',"$$deleted":true}');

/**
 * A line's document id and whether it is a removal, from its bytes, when it opens as this file
 * writes lines; undefined for any other shape (an id with escapes among them), which is parsed.
 */
function shapeOf(data: Buffer, start: number, end: number): { id: string; removed: boolean } | undefined {
  const from = start + idOpening.length;
  if (from >= end || data.compare(idOpening, 0, idOpening.length, start, from) !== 0) return undefined;
  const quote = data.indexOf(0x22, from);
  if (quote === -1 || quote >= end) return undefined;
  for (let i = from; i < quote; i++) if (data[i]! < 0x20 || data[i] === 0x5c) return undefined;
  const removed =
    end - (quote + 1) === removalClosing.length &&
    data.compare(removalClosing, 0, removalClosing.length, quote + 1, end) === 0;
  return { id: data.toString('utf8', from, quote), removed };
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
