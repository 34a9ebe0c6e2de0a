import assert from 'node:assert/strict';
import { WorkQueue, withQuietPeriod } from '../../../hub/client/work-queue.js';
import { eventually } from '../../helpers/eventually.js';

describe('WorkQueue', () => {
  it('reconciles a key added many times while queued once', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue(async (key) => {
      seen.push(key);
    });
    for (let i = 0; i < 5; i++) queue.add('a');
    queue.add('b');
    await queue.idle();
    assert.deepEqual(seen.sort(), ['a', 'b']);
    queue.stop();
  });

  it('never runs one key twice at once, and re-runs it if it changed meanwhile', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release: () => void = () => {};
    const queue = new WorkQueue(async () => {
      running++;
      runs++;
      maxRunning = Math.max(maxRunning, running);
      if (runs === 1)
        await new Promise<void>((r) => {
          release = r;
        });
      running--;
    });
    queue.add('k');
    await eventually(() => runs === 1);
    queue.add('k');
    queue.add('k');
    release();
    await eventually(() => runs === 2);
    await queue.idle();
    assert.equal(maxRunning, 1);
    assert.equal(runs, 2);
    queue.stop();
  });

  it('retries a failing key with growing delays until it succeeds', async () => {
    const attempts: number[] = [];
    const queue = new WorkQueue(
      async () => {
        attempts.push(Date.now());
        if (attempts.length < 3) throw new Error('not yet');
      },
      { baseDelayMs: 10 },
    );
    queue.add('k');
    await eventually(() => attempts.length === 3);
    const gaps = [attempts[1]! - attempts[0]!, attempts[2]! - attempts[1]!];
    assert.ok(gaps[1]! >= gaps[0]!, `back-off grows: ${gaps}`);
    queue.stop();
  });

  it('keeps going when reporting a failure throws, and reports nothing after stop', async () => {
    const reported: string[] = [];
    let fail = true;
    const done: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        if (fail && key === 'bad') throw new Error('store closed');
        done.push(key);
      },
      {
        baseDelayMs: 5,
        onError: (key) => {
          reported.push(key);
          throw new Error('the reporter failed too');
        },
      },
    );
    queue.add('bad');
    queue.add('good');
    await eventually(() => reported.length >= 2 && done.includes('good'));
    fail = false;
    await eventually(() => done.includes('bad'));
    // After stop, a reconcile that fails is not reported.
    let release: () => void = () => {};
    const blocked = new WorkQueue(
      async () => {
        await new Promise<void>((r) => {
          release = r;
        });
        throw new Error('the store is closed, not open');
      },
      { onError: (key) => reported.push(`after-stop ${key}`) },
    );
    blocked.add('k');
    await new Promise((r) => setTimeout(r, 10));
    blocked.stop();
    release();
    await blocked.idle();
    assert.ok(!reported.some((r) => r.startsWith('after-stop')));
    queue.stop();
  });

  it('holds a key in its quiet period whatever queues it, and only that key; idle() waits for it', async () => {
    const runs: Array<{ key: string; at: number }> = [];
    const queue = new WorkQueue(async (key) => {
      runs.push({ key, at: Date.now() });
      return key === 'big' ? withQuietPeriod(undefined, 6_000) : undefined; // 300 ms
    });
    queue.add('big');
    await eventually(() => runs.length === 1);
    for (let i = 0; i < 5; i++) queue.add('big');
    queue.add('small');
    await eventually(() => runs.some((r) => r.key === 'small'));
    assert.equal(runs.filter((r) => r.key === 'big').length, 1, 'big waits out its quiet period');
    await queue.idle();
    const big = runs.filter((r) => r.key === 'big');
    assert.equal(big.length, 2, 'the five adds while quiet make one run');
    assert.ok(big[1]!.at - big[0]!.at >= 290, `ran again after ${big[1]!.at - big[0]!.at} ms`);
    queue.stop();
  });

  it('runs a key queued with now=true at once, quiet period or not, also when it was waiting one out', async () => {
    const runs: number[] = [];
    const queue = new WorkQueue(async () => {
      runs.push(Date.now());
      return withQuietPeriod(undefined, 200_000); // 10 s
    });
    queue.add('k');
    await eventually(() => runs.length === 1);
    queue.add('k'); // waits out the 10 s
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(runs.length, 1);
    queue.add('k', true);
    await eventually(() => runs.length === 2);
    queue.add('k', true);
    await eventually(() => runs.length === 3);
    assert.ok(runs[2]! - runs[0]! < 5_000, 'neither waited the quiet period out');
    queue.stop();
  });

  it('gives small reconciles no quiet period: 1 ms per 20 objects counted', () => {
    assert.equal(withQuietPeriod(undefined, 19), undefined);
    assert.deepEqual(withQuietPeriod({ requeueAfterMs: 5 }, 19), { requeueAfterMs: 5 });
    assert.deepEqual(withQuietPeriod(undefined, 100_000), { requeueAfterMs: -1, quietMs: 5_000 });
  });
});
