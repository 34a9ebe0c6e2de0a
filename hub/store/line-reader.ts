// Reading a datafile in large chunks: every line in order, or only the lines at known positions.
// Lines are split at newline bytes (in UTF-8 a newline byte is never part of another character)
// and handed over as byte ranges of a buffer that is reused: a visitor decodes what it keeps.
import { open } from 'node:fs/promises';

/** How much of a file is read at a time. */
export const chunkBytes = 8 * 1024 * 1024;

/** Where a line is in the file (bytes, newline excluded). */
export interface LineSpan {
  offset: number;
  length: number;
}

export type LineVisitor = (data: Buffer, start: number, end: number) => void;

/**
 * Every complete line of the file, in order; resolves to the bytes read and the length of a last
 * line without its newline (0 when the file ends with one).
 */
export async function eachLine(path: string, visit: LineVisitor): Promise<{ bytes: number; torn: number }> {
  const input = await open(path, 'r');
  let bytes = 0;
  try {
    // One buffer for the whole file: a line that continues in the next chunk is moved to its
    // front and the next chunk read in after it. A new buffer per chunk (Buffer.concat) cost
    // 0.2–0.7 s of a 234 MB file's load in page faults and copies, 2 s of a hub's start.
    let buffer = Buffer.allocUnsafe(2 * chunkBytes);
    let carried = 0; // bytes at the front: the start of a line that continues in this chunk
    for (;;) {
      if (buffer.length - carried < chunkBytes) {
        const larger = Buffer.allocUnsafe(carried + chunkBytes); // a line longer than a chunk
        buffer.copy(larger, 0, 0, carried);
        buffer = larger;
      }
      const { bytesRead } = await input.read(buffer, carried, chunkBytes, bytes);
      if (bytesRead === 0) return { bytes, torn: carried };
      bytes += bytesRead;
      const end = carried + bytesRead;
      // Searched only up to what was read: past it are the bytes of an earlier chunk.
      const data = buffer.subarray(0, end);
      let start = 0;
      for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
        visit(data, start, newline);
        start = newline + 1;
      }
      buffer.copyWithin(0, start, end);
      carried = end - start;
    }
  } finally {
    await input.close();
  }
}

/** The lines at `spans` (in file order), each with its newline byte after `end`. */
export async function eachSpan(path: string, spans: readonly LineSpan[], visit: LineVisitor): Promise<void> {
  const chunk = Buffer.allocUnsafe(chunkBytes);
  let [chunkStart, chunkEnd] = [0, 0];
  const input = await open(path, 'r');
  const shorter = () => new Error(`${path}: shorter than its own index`);
  try {
    for (const { offset, length } of spans) {
      const end = offset + length + 1;
      if (length + 1 > chunk.length) {
        const line = Buffer.allocUnsafe(length + 1);
        const { bytesRead } = await input.read(line, 0, length + 1, offset);
        if (bytesRead < length + 1) throw shorter();
        visit(line, 0, length);
        continue;
      }
      if (offset < chunkStart || end > chunkEnd) {
        const { bytesRead } = await input.read(chunk, 0, chunk.length, offset);
        [chunkStart, chunkEnd] = [offset, offset + bytesRead];
        if (end > chunkEnd) throw shorter();
      }
      visit(chunk, offset - chunkStart, offset - chunkStart + length);
    }
  } finally {
    await input.close();
  }
}
