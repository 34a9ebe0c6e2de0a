import assert from 'node:assert/strict';
import { once } from 'node:events';
import { inProcessPipe } from '../../../hub/broker/in-process-pipe.js';

const readAll = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
};

describe('inProcessPipe', () => {
  it('carries bytes both ways, in order, and ends the other side on end()', async () => {
    const [a, b] = inProcessPipe();
    const fromA = readAll(b);
    const fromB = readAll(a);
    a.write('one ');
    b.write('reply ');
    a.end('two');
    b.end('done');
    assert.equal(await fromA, 'one two');
    assert.equal(await fromB, 'reply done');
  });

  it('holds a writer back while the reader does not read, and lets it go on when it does', async () => {
    const [a, b] = inProcessPipe();
    const big = Buffer.alloc(64 * 1024, 1);
    let finished = 0;
    for (let i = 0; i < 8; i++) a.write(big, () => finished++);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(finished < 8, `all ${finished} writes completed with nobody reading`);
    assert.ok(a.writableNeedDrain);
    let received = 0;
    b.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    await once(a, 'drain');
    assert.equal(received, 8 * big.length);
    assert.equal(finished, 8);
  });

  it('closes the other end when one is destroyed, and fails a write that can no longer land', async () => {
    const [a, b] = inProcessPipe();
    const closed = once(b, 'close');
    a.destroy();
    await closed;
    assert.equal(b.destroyed, true);
    // A write waiting for room when its reader goes away fails instead of hanging.
    const [c, d] = inProcessPipe();
    const errors: string[] = [];
    c.on('error', () => {});
    const big = Buffer.alloc(64 * 1024, 1);
    for (let i = 0; i < 4; i++)
      c.write(big, (err) => {
        if (err) errors.push(err.message);
      });
    await new Promise((resolve) => setImmediate(resolve));
    const cClosed = new Promise((resolve) => c.once('close', resolve));
    d.destroy();
    await cClosed;
    assert.ok(
      errors.some((e) => e.includes('other end is closed')),
      errors.join('; '),
    );
  });
});
