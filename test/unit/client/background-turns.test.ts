import assert from 'node:assert/strict';
import { BackgroundTurns, inTurns, longWalk } from '../../../hub/client/background-turns.js';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy, as a long reconcile is
  }
};

/** Resolves once every task queued so far has run. */
function drained(turns: BackgroundTurns): Promise<void> {
  return new Promise((resolve) => turns.start(resolve));
}

describe('BackgroundTurns', () => {
  it('starts tasks in the order they were queued, and keeps going past one that throws', async () => {
    const turns = new BackgroundTurns(5);
    const ran: number[] = [];
    for (let i = 0; i < 10; i++)
      turns.start(() => {
        ran.push(i);
        if (i === 3) throw new Error('a task that forgot to catch');
      });
    await drained(turns);
    assert.deepEqual(ran, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(turns.waiting, 0);
  });

  /**
   * Queues 60 tasks that each busy 2 ms (`work` counts one when done); a timer due at once fires
   * in the next pass of the event loop. Resolves with how many the timer saw done, after all ran.
   */
  async function seenByATimer(work: (done: () => void) => void): Promise<number> {
    const turns = new BackgroundTurns(5);
    let ran = 0;
    for (let i = 0; i < 60; i++) turns.start(() => work(() => ran++));
    const seen = await new Promise<number>((resolve) => setTimeout(() => resolve(ran), 0));
    await drained(turns);
    assert.equal(ran, 60);
    return seen;
  }

  it('lets timers and sockets run between turns instead of after all the work', async () => {
    // Before, with everything run in one go, the timer saw all 60 tasks done (120 ms of work).
    const seen = await seenByATimer((done) => {
      spin(2);
      done();
    });
    assert.ok(seen < 10, `the timer waited for ${seen} tasks`);
  });

  it('counts what a task does after its first await toward the turn', async () => {
    const seen = await seenByATimer((done) => {
      void (async () => {
        await Promise.resolve();
        spin(2);
        done();
      })();
    });
    assert.ok(seen < 10, `the timer waited for ${seen} tasks`);
  });

  it('gives a long walk its turn back (yieldTurn) so others get theirs', async () => {
    const turns = new BackgroundTurns(5);
    const order: string[] = [];
    turns.start(() => {
      void (async () => {
        for (let step = 0; step < 3; step++) {
          order.push(`walk ${step}`);
          spin(6);
          await turns.yieldTurn();
        }
      })();
    });
    turns.start(() => order.push('other'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await drained(turns);
    assert.deepEqual(order, ['walk 0', 'other', 'walk 1', 'walk 2']);
  });

  it('walks a long list in slices, with the loop running between them (inTurns)', async () => {
    const items = Array.from({ length: 2 * longWalk + 1 }, (_, i) => i);
    let slices = 0;
    let timerSawSlices: number | undefined;
    setTimeout(() => {
      timerSawSlices = slices;
    }, 0);
    const sums = await inTurns(items, (slice) => {
      slices++;
      spin(6);
      return slice.reduce((a, b) => a + b, 0);
    });
    assert.equal(sums.length, 3);
    assert.equal(
      sums.reduce((a, b) => a + b, 0),
      items.reduce((a, b) => a + b, 0),
    );
    assert.ok(
      timerSawSlices !== undefined && timerSawSlices < 3,
      `the timer ran after ${timerSawSlices} slices`,
    );
    assert.deepEqual(await inTurns([], () => 1), []);
  });
});
