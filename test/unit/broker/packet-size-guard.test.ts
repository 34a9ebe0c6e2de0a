import assert from 'node:assert/strict';
import { PacketSizeGuard } from '../../../hub/broker/packet-size-guard.js';

/** Feeds chunks to a guard; the first error, or undefined when all passed. */
function feed(maxBytes: number, chunks: Buffer[]): Error | undefined {
  const guard = new PacketSizeGuard(maxBytes);
  for (const chunk of chunks) {
    const err = guard.feed(chunk);
    if (err) return err;
  }
  return undefined;
}

function packet(type: number, bodyBytes: number): Buffer {
  const length: number[] = [];
  let n = bodyBytes;
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    length.push(byte);
  } while (n > 0);
  return Buffer.concat([Buffer.from([type, ...length]), Buffer.alloc(bodyBytes, 1)]);
}

describe('PacketSizeGuard', () => {
  it('passes packets within the limit, whatever the chunking', () => {
    const stream = Buffer.concat([packet(0x30, 300), packet(0xc0, 0), packet(0x30, 20_000), packet(0x82, 5)]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 7) chunks.push(stream.subarray(i, i + 7));
    assert.equal(feed(20_000, chunks), undefined);
    assert.equal(feed(20_000, [stream]), undefined);
  });

  it('stops at the header of a packet that announces more than the limit', () => {
    const err = feed(1024, [packet(0x30, 10), Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f])]);
    assert.equal(err?.message, 'MQTT packet of 268435455 bytes is over the 1024 limit');
  });
});
