// Reads an uncompressed tar archive (POSIX ustar, with pax `x` records and GNU `L` long names,
// which Go's archive/tar — and so kubectl cp — writes for long paths), checking each header's
// checksum. The writer is ../images/tar-writer.ts.
const BLOCK = 512;

export interface TarMember {
  type: 'file' | 'dir' | 'symlink' | 'other';
  path: string;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  data: Buffer;
  linkTarget: string;
}

export class TarFormatError extends Error {}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

function octal(header: Buffer, start: number, length: number): number {
  const text = field(header, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/** pax extended header records: `<length> <key>=<value>\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = Number(data.subarray(offset, space).toString());
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    offset += length;
  }
  return records;
}

export function readTarMembers(archive: Buffer): TarMember[] {
  const members: TarMember[] = [];
  let offset = 0;
  let longName: string | undefined;
  let pax = new Map<string, string>();
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
    if (sum !== octal(header, 148, 8)) throw new TarFormatError('invalid tar header checksum');
    const size = octal(header, 124, 12);
    const data = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    if (data.length < size) throw new TarFormatError('unexpected end of tar archive');
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    const flag = field(header, 156, 1);
    if (flag === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (flag === 'g') continue;
    if (flag === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    const prefix = field(header, 257, 6) === 'ustar' ? field(header, 345, 155) : '';
    const name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const path = pax.get('path') ?? longName ?? name;
    const type =
      flag === '0' || flag === '' ? 'file' : flag === '5' ? 'dir' : flag === '2' ? 'symlink' : 'other';
    members.push({
      type,
      path,
      mode: octal(header, 100, 8) & 0o7777,
      mtime: Math.floor(Number(pax.get('mtime') ?? octal(header, 136, 12))),
      data,
      linkTarget: pax.get('linkpath') ?? field(header, 157, 100),
    });
    longName = undefined;
    pax = new Map();
  }
  return members;
}
