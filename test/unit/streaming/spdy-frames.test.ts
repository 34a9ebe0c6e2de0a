import assert from 'node:assert/strict';
import { constants, inflateSync } from 'node:zlib';
import {
  dataFrame,
  FLAG_FIN,
  FrameParser,
  FrameType,
  headerBlock,
  ping,
  StoredZlibStream,
  synStream,
} from '../../../api/streaming/spdy-frames.js';

describe('SPDY/3 frames for the exec stream client', () => {
  it('writes a SYN_STREAM whose header block is a zlib stream any inflater reads', () => {
    const zlib = new StoredZlibStream();
    const first = synStream(zlib, 1, { streamtype: 'error' });
    const second = synStream(zlib, 3, { streamType: 'stdin' });
    const [a, b] = new FrameParser().push(Buffer.concat([first, second]));
    assert.ok(a?.kind === 'control' && b?.kind === 'control');
    assert.equal(a.type, FrameType.SynStream);
    assert.equal(a.payload.readUInt32BE(0), 1);
    assert.equal(b.payload.readUInt32BE(0), 3);
    // One zlib stream across both frames: the second block continues the first.
    const stream = Buffer.concat([a.payload.subarray(10), b.payload.subarray(10)]);
    const inflated = inflateSync(stream, { finishFlush: constants.Z_SYNC_FLUSH });
    assert.deepEqual(
      inflated,
      Buffer.concat([headerBlock({ streamtype: 'error' }), headerBlock({ streamtype: 'stdin' })]),
    );
  });

  it('lowercases header names and length-prefixes names and values', () => {
    const block = headerBlock({ streamType: 'resize' });
    assert.equal(block.readUInt32BE(0), 1);
    assert.equal(block.readUInt32BE(4), 10);
    assert.equal(block.subarray(8, 18).toString(), 'streamtype');
    assert.equal(block.readUInt32BE(18), 6);
    assert.equal(block.subarray(22).toString(), 'resize');
  });

  it('parses frames split anywhere across socket reads', () => {
    const bytes = Buffer.concat([
      dataFrame(5, Buffer.from('out')),
      dataFrame(3, Buffer.alloc(0), true),
      ping(2),
    ]);
    const parser = new FrameParser();
    const frames = [...bytes].flatMap((byte) => parser.push(Buffer.from([byte])));
    assert.deepEqual(
      frames.map((f) =>
        f.kind === 'data' ? [f.streamId, f.flags, f.data.toString()] : [f.type, f.payload.readUInt32BE(0)],
      ),
      [
        [5, 0, 'out'],
        [3, FLAG_FIN, ''],
        [FrameType.Ping, 2],
      ],
    );
  });
});
