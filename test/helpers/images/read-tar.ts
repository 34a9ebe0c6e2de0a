// Reads an uncompressed ustar archive back, checking each header's checksum: for tests of the
// image tars the agent writes.
import assert from 'node:assert/strict';

export interface TarRead {
  type: string;
  mode: number;
  data: Buffer;
  target: string;
}

/** Reads back the entries of an uncompressed ustar archive, checking each header's checksum. */
export function readTar(archive: Buffer): Map<string, TarRead> {
  const entries = new Map<string, TarRead>();
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const expected = Number.parseInt(field(148, 8), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
    assert.equal(sum, expected, `checksum of ${field(0, 100)}`);
    const size = Number.parseInt(field(124, 12), 8);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    entries.set(name, {
      type: field(156, 1),
      mode: Number.parseInt(field(100, 8), 8),
      data: archive.subarray(offset + 512, offset + 512 + size),
      target: field(157, 100),
    });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}
