import assert from 'node:assert/strict';
import { GroupCommit, type RoundResult } from '../../../hub/store/group-commit.js';

interface TestWrite {
  object: string;
  value: number;
}

/** A GroupCommit over a map, whose disk is a list of rounds the test releases one at a time. */
function harness(options: { failing?: (w: TestWrite) => unknown; maxRound?: number } = {}) {
  const visible = new Map<string, number>();
  const rounds: TestWrite[][] = [];
  let release: (() => void) | undefined;
  let held = false;
  const commits = new GroupCommit<TestWrite>({
    persist: async (writes): Promise<RoundResult> => {
      rounds.push(writes);
      if (held) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return writes.map((w) => options.failing?.(w));
    },
    apply: (w) => {
      if (w.value < 0) throw new Error(`cannot apply ${w.object}`);
      visible.set(w.object, w.value);
    },
    ...(options.maxRound ? { maxRound: options.maxRound } : {}),
  });
  const write = (object: string, value: number | ((current: number | undefined) => number)) =>
    commits.submit(object, () => ({
      object,
      value: typeof value === 'number' ? value : value(visible.get(object)),
    }));
  return {
    commits,
    visible,
    rounds,
    write,
    hold: () => {
      held = true;
    },
    releaseRound: async () => {
      while (!release) await new Promise((resolve) => setImmediate(resolve));
      const r = release;
      release = undefined;
      r();
    },
    unhold: () => {
      held = false;
      release?.();
    },
  };
}

describe('group commit', () => {
  it('persists writes that arrive while a round is on disk together in the next round', async () => {
    const h = harness();
    h.hold();
    const first = h.write('a', 1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = Array.from({ length: 50 }, (_, i) => h.write(`o${i}`, i));
    h.unhold();
    await Promise.all([first, ...rest]);
    assert.deepEqual(
      h.rounds.map((r) => r.length),
      [1, 50],
    );
    assert.equal(h.visible.size, 51);
  });

  it('applies a write before its promise resolves, in the order the writes were submitted', async () => {
    const h = harness();
    const order: string[] = [];
    await Promise.all(
      ['x', 'y', 'z'].map((o, i) =>
        h.write(o, i).then(() => {
          assert.equal(h.visible.get(o), i);
          order.push(o);
        }),
      ),
    );
    assert.deepEqual(order, ['x', 'y', 'z']);
    assert.deepEqual([...h.visible.keys()], ['x', 'y', 'z']);
  });

  it('checks a second write to an object against the first one applied, never in the same round', async () => {
    const h = harness();
    h.hold();
    const increments = Array.from({ length: 5 }, () => h.write('counter', (current) => (current ?? 0) + 1));
    for (let i = 0; i < 5; i++) await h.releaseRound();
    h.unhold();
    const results = await Promise.all(increments);
    assert.deepEqual(
      results.map((w) => w.value),
      [1, 2, 3, 4, 5],
    );
    assert.equal(h.visible.get('counter'), 5);
    assert.ok(h.rounds.every((r) => r.length === 1));
  });

  it('fails only the writes whose persisting failed; the others of the round and later writes land', async () => {
    const h = harness({
      failing: (w) => (w.object === 'bad' && w.value === 1 ? new Error('EIO') : undefined),
    });
    const results = await Promise.allSettled([h.write('good', 1), h.write('bad', 1), h.write('fine', 1)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /EIO/);
    assert.equal(h.visible.has('bad'), false);
    await h.write('bad', 2);
    assert.equal(h.visible.get('bad'), 2);
  });

  it('rejects a write whose check throws without persisting anything, and goes on', async () => {
    const h = harness();
    const refused = h.commits.submit('a', () => {
      throw new Error('conflict');
    });
    await assert.rejects(refused, /conflict/);
    await h.write('a', 7);
    assert.deepEqual(h.rounds, [[{ object: 'a', value: 7 }]]);
  });

  it('a write that cannot be applied fails alone', async () => {
    const h = harness();
    const results = await Promise.allSettled([h.write('a', 1), h.write('b', -1), h.write('c', 3)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(
      [...h.visible],
      [
        ['a', 1],
        ['c', 3],
      ],
    );
  });

  it('keeps rounds within maxRound', async () => {
    const h = harness({ maxRound: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => h.write(`o${i}`, i)));
    assert.deepEqual(
      h.rounds.map((r) => r.length),
      [4, 4, 2],
    );
  });

  it('idle() resolves only once every submitted write has settled', async () => {
    const h = harness();
    h.hold();
    const writes = [h.write('a', 1), h.write('a', 2)];
    let idle = false;
    const waiting = h.commits.idle().then(() => {
      idle = true;
    });
    await h.releaseRound();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(idle, false, 'the second write to a is still to come');
    h.unhold();
    await Promise.all([...writes, waiting]);
    assert.equal(idle, true);
    assert.equal(h.visible.get('a'), 2);
  });
});
