// SPDY/3 framing (draft-mbelshe-httpbis-spdy-00 §2.2–2.6), only as much as a remotecommand
// client needs to talk to a container runtime's streaming server (containerd 1.6 serves exec
// over SPDY/3.1 and over WebSocket v4, and only SPDY can half-close stdin: measured, see
// cri-exec-stream.ts). Pure: frames in, bytes out, and an incremental parser for the reverse.
//
// Header blocks must be zlib streams, one stream per direction and connection. We send ours as
// zlib "stored" (uncompressed) deflate blocks without a preset dictionary, each block followed by
// an empty one (the sync-flush marker): a valid zlib stream that the Go framer (moby/spdystream)
// decodes with or without the SPDY dictionary, and needs no compressor state. We never decode the server's header blocks: a remotecommand client reads
// only stream ids and flags from SYN_REPLY.

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

  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    while (this.buffered.length >= 8) {
      const word = this.buffered.readUInt32BE(0);
      const flagsAndLength = this.buffered.readUInt32BE(4);
      const length = flagsAndLength & 0xffffff;
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
