// The server side of a SPDY/3.1 connection, as kubectl's streams need it (exec and attach from
// kubectl 1.27–1.29, port-forward from every version): the client opens streams with
// SYN_STREAM and headers (`streamtype`, `port`, `requestid`), we answer each with SYN_REPLY and
// then exchange data frames; FIN half-closes a direction, RST_STREAM drops a stream, pings are
// echoed, GOAWAY ends the connection. Frames are handled one at a time in arrival order,
// because the client's header blocks are one zlib stream that must be inflated in order.
// Bounded: frames over `maxFrameBytes`, more than `maxStreams` open streams, a header block
// that does not inflate or parse — each ends the connection (the peer is not kubectl).
import type { Duplex } from 'node:stream';
import { constants, createInflate, type Inflate } from 'node:zlib';
import type { Logger } from '../../../api/logger.js';
import { spdyHeaderDictionary } from '../../../api/streaming/spdy-dictionary.js';
import {
  dataFrame,
  FLAG_FIN,
  type Frame,
  FrameParser,
  FrameType,
  goAway,
  parseHeaderBlock,
  parseSynStream,
  ping,
  rstStream,
  StoredZlibStream,
  synReply,
} from '../../../api/streaming/spdy-frames.js';

/** RST_STREAM status REFUSED_STREAM (§2.6.3). */
const RST_REFUSED = 3;
/** Bytes per data frame we send: kubectl reads each frame whole. */
const dataFrameBytes = 32 * 1024;

export interface SpdyStream {
  readonly id: number;
  /** The client's headers, names lowercase. */
  readonly headers: ReadonlyMap<string, string>;
  /** Data from the client, in order. */
  onData: (data: Buffer) => void;
  /** The client finished writing (FIN) or, `reset`, dropped the stream; called once. */
  onEnd: (reset: boolean) => void;
  write(data: Buffer): void;
  /** We finished writing (FIN). */
  end(): void;
}

export interface SpdyConnectionOptions {
  /** A new stream, after our SYN_REPLY went out. */
  onStream(stream: SpdyStream): void;
  /** The connection ended, for whatever reason; called once. */
  onClose(): void;
  maxFrameBytes?: number;
  maxStreams?: number;
  log?: Logger;
}

class ServerStream implements SpdyStream {
  onData: (data: Buffer) => void = () => {};
  onEnd: (reset: boolean) => void = () => {};
  remoteEnded = false;
  localEnded = false;

  constructor(
    readonly id: number,
    readonly headers: ReadonlyMap<string, string>,
    private readonly send: (frame: Buffer) => void,
    /** Both directions are done: the connection forgets the stream. */
    private readonly release: () => void,
  ) {}

  write(data: Buffer): void {
    if (this.localEnded) return;
    for (let at = 0; at < data.length; at += dataFrameBytes) {
      this.send(dataFrame(this.id, data.subarray(at, at + dataFrameBytes)));
    }
  }

  end(): void {
    if (this.localEnded) return;
    this.localEnded = true;
    this.send(dataFrame(this.id, Buffer.alloc(0), true));
    if (this.remoteEnded) this.release();
  }

  /** The stream was reset: neither side writes any more. */
  reset(): void {
    this.localEnded = true;
    this.remoteEnd(true);
  }

  remoteEnd(reset = false): void {
    if (this.remoteEnded) return;
    this.remoteEnded = true;
    if (this.localEnded) this.release();
    this.onEnd(reset);
  }
}

export class SpdyConnection {
  private readonly parser: FrameParser;
  private readonly streams = new Map<number, ServerStream>();
  private readonly replies = new StoredZlibStream();
  private readonly inflater: Inflate;
  private inflated: Buffer[] = [];
  private work: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    private readonly options: SpdyConnectionOptions,
    head: Buffer = Buffer.alloc(0),
  ) {
    this.parser = new FrameParser(options.maxFrameBytes ?? 1024 * 1024);
    this.inflater = createInflate({ dictionary: spdyHeaderDictionary });
    this.inflater.on('data', (chunk: Buffer) => this.inflated.push(chunk));
    this.inflater.on('error', () => this.fail('a header block did not inflate'));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.finish());
    socket.on('end', () => this.finish());
    if (head.length > 0) this.receive(head);
  }

  /** Ends the connection: GOAWAY, then the socket. */
  close(): void {
    if (this.closed) return;
    this.send(goAway(this.lastStreamId));
    this.socket.end();
    this.finish();
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      this.fail((err as Error).message);
      return;
    }
    for (const frame of frames) {
      this.work = this.work.then(() => this.handle(frame)).catch((err: Error) => this.fail(err.message));
    }
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.closed) return;
    if (frame.kind === 'data') {
      const stream = this.streams.get(frame.streamId);
      if (!stream || stream.remoteEnded) return;
      if (frame.data.length > 0) stream.onData(frame.data);
      if (frame.flags & FLAG_FIN) stream.remoteEnd();
      return;
    }
    switch (frame.type) {
      case FrameType.SynStream:
        return this.open(frame);
      case FrameType.RstStream: {
        const stream = this.streams.get(frame.payload.readUInt32BE(0) & 0x7fffffff);
        stream?.reset();
        return;
      }
      case FrameType.Ping:
        // Pings the client started have odd ids and come back unchanged (§2.6.5).
        if (frame.payload.length === 4 && frame.payload.readUInt32BE(0) % 2 === 1) {
          this.send(ping(frame.payload.readUInt32BE(0)));
        }
        return;
      case FrameType.GoAway:
        return this.close();
      default:
        // SETTINGS, HEADERS, WINDOW_UPDATE: nothing kubectl's streams depend on.
        return;
    }
  }

  private async open(frame: Extract<Frame, { kind: 'control' }>): Promise<void> {
    const syn = parseSynStream(frame);
    if (!syn) throw new Error('a SYN_STREAM frame is too short');
    const headers = parseHeaderBlock(await this.inflate(syn.headerBlock));
    if (!headers) throw new Error('a SYN_STREAM header block is malformed');
    if (syn.streamId % 2 !== 1 || syn.streamId <= this.lastStreamId) {
      throw new Error(`stream id ${syn.streamId} is not a new client stream id`);
    }
    this.lastStreamId = syn.streamId;
    if (this.streams.size >= (this.options.maxStreams ?? 256)) {
      this.send(rstStream(syn.streamId, RST_REFUSED));
      return;
    }
    const stream = new ServerStream(
      syn.streamId,
      headers,
      (bytes) => this.send(bytes),
      () => this.streams.delete(syn.streamId),
    );
    this.streams.set(stream.id, stream);
    this.send(synReply(this.replies, stream.id));
    this.options.onStream(stream);
    if (frame.flags & FLAG_FIN) stream.remoteEnd();
  }

  /** The next header block of the client's zlib stream, decompressed. */
  private inflate(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.inflater.write(block);
      this.inflater.flush(constants.Z_SYNC_FLUSH, () => {
        if (this.closed) return reject(new Error('connection closed'));
        const out = Buffer.concat(this.inflated);
        this.inflated = [];
        resolve(out);
      });
    });
  }

  private send(bytes: Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
  }

  private fail(why: string): void {
    if (this.closed) return;
    this.options.log?.warn(`SPDY connection dropped: ${why}`);
    this.socket.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.inflater.destroy();
    for (const stream of [...this.streams.values()]) stream.reset();
    this.streams.clear();
    this.options.onClose();
  }
}
