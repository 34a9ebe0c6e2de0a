import assert from 'node:assert/strict';
import { WriteCoalescer } from '../../../edge-agent/local-state/write-coalescer.js';
import { ManualTimers } from './manual-timers.js';

function harness(fail = false) {
  const timers = new ManualTimers(0);
  const writes: number[] = [];
  const errors: string[] = [];
  let failing = fail;
  const coalescer = new WriteCoalescer(
    async () => {
      if (failing) throw new Error('EIO');
      writes.push(timers.now());
    },
    { debounceMs: 2_000, minIntervalMs: 10_000 },
    timers,
    (err) => errors.push(err.message),
  );
  return {
    timers,
    writes,
    errors,
    coalescer,
    heal: () => {
      failing = false;
    },
  };
}

describe('agent local state: write coalescing', () => {
  it('writes a burst of changes once, after the debounce', async () => {
    const h = harness();
    for (let i = 0; i < 100; i++) h.coalescer.changed();
    await h.timers.advance(1_999);
    assert.deepEqual(h.writes, []);
    await h.timers.advance(1);
    assert.deepEqual(h.writes, [2_000]);
  });

  it('writes at most once per interval however often things change', async () => {
    const h = harness();
    for (let t = 0; t < 60_000; t += 500) {
      h.coalescer.changed();
      await h.timers.advance(500);
    }
    assert.deepEqual(h.writes, [2_000, 12_000, 22_000, 32_000, 42_000, 52_000]);
  });

  it('writes nothing when nothing changed', async () => {
    const h = harness();
    await h.timers.advance(86_400_000);
    assert.deepEqual(h.writes, []);
    await h.coalescer.flush();
    assert.deepEqual(h.writes, []);
  });

  it('flushes a pending change at once on stop', async () => {
    const h = harness();
    h.coalescer.changed();
    await h.coalescer.flush();
    assert.deepEqual(h.writes, [0]);
    assert.equal(h.timers.scheduled, 0);
  });

  it('retries a failed write with the next interval', async () => {
    const h = harness(true);
    h.coalescer.changed();
    await h.timers.advance(2_000);
    assert.deepEqual(h.errors, ['EIO']);
    h.heal();
    await h.timers.advance(10_000);
    assert.deepEqual(h.writes, [12_000]);
  });
});
