import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { constants, createDeflate, type Deflate } from 'node:zlib';
import { spdyHeaderDictionary } from '../../../../api/streaming/spdy-dictionary.js';
import {
  dataFrame,
  FLAG_FIN,
  type Frame,
  FrameParser,
  FrameType,
  headerBlock,
  ping,
} from '../../../../api/streaming/spdy-frames.js';
import { SpdyConnection, type SpdyStream } from '../../../../hub/apiserver/streaming/spdy-connection.js';
import { eventually } from '../../../helpers/eventually.js';

/** The server's socket: what the test writes is what the client sent; what it writes is collected. */
class TestSocket extends Duplex {
  readonly written: Buffer[] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.written.push(chunk);
    done();
  }
  frames(): Frame[] {
    return new FrameParser().push(Buffer.concat(this.written));
  }
}

/** A client compressing its header blocks against the SPDY dictionary, as Go's framer does. */
class Client {
  private readonly deflate: Deflate = createDeflate({ dictionary: spdyHeaderDictionary });
  private readonly out: Buffer[] = [];

  constructor(private readonly socket: TestSocket) {
    this.deflate.on('data', (d: Buffer) => this.out.push(d));
  }

  async open(streamId: number, headers: Record<string, string>, flags = 0): Promise<void> {
    const block = await new Promise<Buffer>((resolve) => {
      this.deflate.write(headerBlock(headers));
      this.deflate.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(this.out.splice(0))));
    });
    const fixed = Buffer.alloc(10);
    fixed.writeUInt32BE(streamId, 0);
    this.send(control(FrameType.SynStream, flags, Buffer.concat([fixed, block])));
  }

  send(bytes: Buffer): void {
    this.socket.push(bytes);
  }
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags << 24) | payload.length) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function serve(options: { maxStreams?: number; maxFrameBytes?: number } = {}) {
  const socket = new TestSocket();
  const streams: SpdyStream[] = [];
  const received = new Map<number, string[]>();
  let closed = false;
  new SpdyConnection(socket, {
    onStream: (stream) => {
      streams.push(stream);
      received.set(stream.id, []);
      stream.onData = (data) => received.get(stream.id)!.push(data.toString());
      stream.onEnd = (reset) => received.get(stream.id)!.push(reset ? '<reset>' : '<fin>');
    },
    onClose: () => {
      closed = true;
    },
    ...options,
  });
  return { socket, client: new Client(socket), streams, received, closed: () => closed };
}

describe('SPDY/3.1 server connection (kubectl exec, attach, port-forward)', () => {
  it('uses the SPDY/3 header dictionary Go clients name in their zlib header (Adler-32 0xe3c6a7c2)', () => {
    assert.equal(spdyHeaderDictionary.length, 1423);
    assert.equal(adler32(spdyHeaderDictionary), 0xe3c6a7c2);
  });

  it('reads the headers of each new stream, answers SYN_REPLY, and carries data both ways', async () => {
    const s = serve();
    await s.client.open(1, { streamtype: 'error' });
    await s.client.open(3, { streamtype: 'stdin', requestid: '7' });
    await eventually(() => s.streams.length === 2);
    assert.equal(s.streams[0]!.headers.get('streamtype'), 'error');
    assert.equal(s.streams[1]!.headers.get('requestid'), '7');
    s.client.send(dataFrame(3, Buffer.from('typed')));
    s.client.send(dataFrame(3, Buffer.alloc(0), true));
    await eventually(() => s.received.get(3)!.length === 2);
    assert.deepEqual(s.received.get(3), ['typed', '<fin>']);
    s.streams[0]!.write(Buffer.from('{"status":"Success"}'));
    s.streams[0]!.end();
    const frames = s.socket.frames();
    const replies = frames.filter((f) => f.kind === 'control' && f.type === FrameType.SynReply);
    assert.deepEqual(
      replies.map((f) => (f.kind === 'control' ? f.payload.readUInt32BE(0) : 0)),
      [1, 3],
    );
    const data = frames.filter((f) => f.kind === 'data');
    assert.deepEqual(
      data.map((f) => (f.kind === 'data' ? [f.streamId, f.data.toString(), f.flags & FLAG_FIN] : [])),
      [
        [1, '{"status":"Success"}', 0],
        [1, '', FLAG_FIN],
      ],
    );
  });

  it('echoes the pings the client starts and tells a reset stream from a finished one', async () => {
    const s = serve();
    await s.client.open(1, { streamtype: 'data', port: '80' });
    s.client.send(ping(5));
    const rst = Buffer.alloc(8);
    rst.writeUInt32BE(1, 0);
    rst.writeUInt32BE(5, 4);
    s.client.send(control(FrameType.RstStream, 0, rst));
    await eventually(() => s.received.get(1)?.includes('<reset>'));
    const pings = s.socket.frames().filter((f) => f.kind === 'control' && f.type === FrameType.Ping);
    assert.equal(pings.length, 1);
  });

  it('refuses streams over the limit with RST_STREAM and keeps the connection', async () => {
    const s = serve({ maxStreams: 1 });
    await s.client.open(1, { streamtype: 'error' });
    await s.client.open(3, { streamtype: 'data' });
    await eventually(() =>
      s.socket.frames().some((f) => f.kind === 'control' && f.type === FrameType.RstStream),
    );
    assert.equal(s.streams.length, 1);
    assert.equal(s.closed(), false);
  });

  for (const [what, bytes] of [
    ['a frame over the size limit', control(FrameType.Settings, 0, Buffer.alloc(2048))],
    ['a header block that is not zlib', control(FrameType.SynStream, 0, Buffer.alloc(40, 0x41))],
    ['a SYN_STREAM too short to name a stream', control(FrameType.SynStream, 0, Buffer.alloc(3))],
  ] as const) {
    it(`drops the connection on ${what}`, async () => {
      const s = serve({ maxFrameBytes: 1024 });
      s.client.send(bytes);
      await eventually(() => s.closed());
      assert.equal(s.socket.destroyed, true);
      assert.equal(s.streams.length, 0);
    });
  }

  it('drops the connection when a client reuses a stream id', async () => {
    const s = serve();
    await s.client.open(3, { streamtype: 'error' });
    await s.client.open(1, { streamtype: 'stdout' });
    await eventually(() => s.closed());
    assert.equal(s.streams.length, 1);
  });
});
