// SPDY/3 framing (draft-mbelshe-httpbis-spdy-00 §2.2–2.6), as much as Kubernetes' streaming
// protocols use: the edge agent is a client of the container runtime's streaming server (exec,
// attach and port-forward over SPDY/3.1), the hub a server to kubectl (exec and attach from
// kubectl 1.27–1.29, port-forward from every version). Pure: frames in, bytes out, and an
// incremental parser for the reverse. moby/spdystream, the Go side of both, has no flow control
// (no WINDOW_UPDATE) and neither has this.
//
// Header blocks are zlib streams, one per direction and connection, compressed against the
// SPDY/3 dictionary (spdy-dictionary.ts). We write ours as zlib "stored" (uncompressed) deflate
// blocks without a preset dictionary, each followed by an empty one (the sync-flush marker): a
// valid zlib stream that the Go framer decodes with or without the dictionary, and needs no
// compressor state. Reading the peer's blocks needs an inflater (the hub's spdy-connection.ts).

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

/** RST_STREAM status CANCEL (§2.6.3). */
export const RST_CANCEL = 5;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; payload: Buffer };

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) * 0x1000000 + payload.length) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

/** A name/value block (§2.6.10): count, then length-prefixed lowercase names and values. */
export function headerBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(Object.keys(headers).length, 0);
  parts.push(count);
  for (const [name, value] of Object.entries(headers)) {
    for (const text of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(text, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length, 0);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

/** Wraps header blocks as one continuing zlib stream of stored deflate blocks (RFC 1950/1951). */
export class StoredZlibStream {
  private started = false;

  wrap(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      // CMF 0x78 (deflate, 32K window), FLG 0x01: no preset dictionary, (0x7801 % 31) === 0.
      parts.push(Buffer.from([0x78, 0x01]));
      this.started = true;
    }
    for (let at = 0; at < block.length; at += 0xffff) {
      const piece = block.subarray(at, at + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0x00; // BFINAL 0, BTYPE 00 (stored): the stream never ends
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
    }
    // An empty stored block ends every header block, as a zlib SYNC_FLUSH does: the Go reader
    // hands out buffered data only at such a boundary, and would otherwise read past the frame.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

export function synStream(
  zlib: StoredZlibStream,
  streamId: number,
  headers: Record<string, string>,
  flags = 0,
): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE(0, 4); // associated-to-stream-id
  fixed[8] = 0; // priority 0 (highest), unused bits
  fixed[9] = 0; // slot
  return controlFrame(FrameType.SynStream, flags, Buffer.concat([fixed, zlib.wrap(headerBlock(headers))]));
}

/** The answer to a SYN_STREAM (§2.6.2); kubectl waits for it before it uses the stream. */
export function synReply(
  zlib: StoredZlibStream,
  streamId: number,
  headers: Record<string, string> = {},
  flags = 0,
): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff, 0);
  return controlFrame(FrameType.SynReply, flags, Buffer.concat([id, zlib.wrap(headerBlock(headers))]));
}

/** GOAWAY (§2.6.6): no new streams after `lastStreamId`; status 0 is OK. */
export function goAway(lastStreamId: number, status = 0): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(lastStreamId & 0x7fffffff, 0);
  payload.writeUInt32BE(status, 4);
  return controlFrame(FrameType.GoAway, 0, payload);
}

export const FLAG_UNIDIRECTIONAL = 0x02;

/** A SYN_STREAM's fields; `headerBlock` is still compressed. Undefined when too short. */
export function parseSynStream(
  frame: Extract<Frame, { kind: 'control' }>,
): { streamId: number; headerBlock: Buffer } | undefined {
  if (frame.payload.length < 10) return undefined;
  return { streamId: frame.payload.readUInt32BE(0) & 0x7fffffff, headerBlock: frame.payload.subarray(10) };
}

/**
 * A decompressed name/value block as a map of lowercase names to values (a repeated name's
 * values are NUL-separated, §2.6.10); undefined when the block is malformed.
 */
export function parseHeaderBlock(block: Buffer): Map<string, string> | undefined {
  if (block.length < 4) return undefined;
  const count = block.readUInt32BE(0);
  const headers = new Map<string, string>();
  let at = 4;
  const next = (): string | undefined => {
    if (at + 4 > block.length) return undefined;
    const length = block.readUInt32BE(at);
    if (at + 4 + length > block.length) return undefined;
    const text = block.subarray(at + 4, at + 4 + length).toString('utf8');
    at += 4 + length;
    return text;
  };
  for (let i = 0; i < count; i++) {
    const name = next();
    const value = next();
    if (name === undefined || value === undefined) return undefined;
    headers.set(name.toLowerCase(), value);
  }
  return headers;
}

export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((fin ? FLAG_FIN : 0) * 0x1000000 + data.length) >>> 0, 4);
  return Buffer.concat([head, data]);
}

export function rstStream(streamId: number, status = RST_CANCEL): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(streamId & 0x7fffffff, 0);
  payload.writeUInt32BE(status, 4);
  return controlFrame(FrameType.RstStream, 0, payload);
}

export function ping(id: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(id >>> 0, 0);
  return controlFrame(FrameType.Ping, 0, payload);
}

/** The stream a control frame is about (SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE). */
export function controlStreamId(frame: Extract<Frame, { kind: 'control' }>): number | undefined {
  if (frame.payload.length < 4) return undefined;
  return frame.payload.readUInt32BE(0) & 0x7fffffff;
}

/** Splits a byte stream into frames; feed it whatever the socket delivers. */
export class FrameParser {
  private buffered: Buffer = Buffer.alloc(0);

  /** `maxFrameBytes`: a longer frame is refused (push throws) instead of buffered. */
  constructor(private readonly maxFrameBytes = 0xffffff) {}

  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    while (this.buffered.length >= 8) {
      const word = this.buffered.readUInt32BE(0);
      const flagsAndLength = this.buffered.readUInt32BE(4);
      const length = flagsAndLength & 0xffffff;
      if (length > this.maxFrameBytes) {
        throw new Error(`SPDY frame of ${length} bytes is over the limit of ${this.maxFrameBytes}`);
      }
      if (this.buffered.length < 8 + length) break;
      const body = this.buffered.subarray(8, 8 + length);
      const flags = flagsAndLength >>> 24;
      if (word & 0x80000000) {
        frames.push({ kind: 'control', type: word & 0xffff, flags, payload: Buffer.from(body) });
      } else {
        frames.push({ kind: 'data', streamId: word & 0x7fffffff, flags, data: Buffer.from(body) });
      }
      this.buffered = this.buffered.subarray(8 + length);
    }
    return frames;
  }
}
