import assert from 'node:assert/strict';
import { type Position, SortedKeys } from '../../../hub/store/sorted-keys.js';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Every key from `position` on, collected through `each`. */
function inOrder(keys: SortedKeys, position: Position): string[] {
  const out: string[] = [];
  keys.each(position, (key) => out.push(key) > 0);
  return out;
}

describe('SortedKeys', () => {
  it('keeps the same order, ranks and seeks as one sorted array through thousands of inserts and removes', () => {
    const next = random(7);
    const keys = new SortedKeys();
    const reference: string[] = [];
    const key = () => `ns${Math.floor(next() * 5)}/pod-${Math.floor(next() * 20_000)}`;
    for (let step = 0; step < 12_000; step++) {
      const k = key();
      const at = reference.indexOf(k);
      if (at === -1 && next() < 0.7) {
        keys.insert(k);
        reference.push(k);
        reference.sort();
      } else if (at !== -1) {
        keys.remove(k);
        reference.splice(at, 1);
      }
    }
    assert.ok(reference.length > 2_000, 'enough keys to need several chunks');
    assert.equal(keys.size, reference.length);
    assert.deepEqual(inOrder(keys, { chunk: 0, index: 0 }), reference);
    for (let probe = 0; probe < 300; probe++) {
      const k = probe % 3 === 0 ? reference[Math.floor(next() * reference.length)]! : key();
      const atOrAfter = reference.findIndex((r) => r >= k);
      const after = reference.findIndex((r) => r > k);
      const expect = (i: number) => (i === -1 ? reference.length : i);
      assert.equal(keys.rank(keys.seek(k)), expect(atOrAfter), `seek ${k}`);
      assert.equal(keys.rank(keys.seek(k, true)), expect(after), `seek after ${k}`);
      assert.deepEqual(
        inOrder(keys, keys.seek(k, true)).slice(0, 3),
        reference.slice(expect(after), expect(after) + 3),
      );
    }
  });

  it('built at once from keys in any order, seeks and grows as one built key by key', () => {
    const next = random(11);
    const names = Array.from({ length: 3_000 }, (_, i) => `ns${i % 7}/pod-${Math.floor(next() * 1e9)}-${i}`);
    const built = SortedKeys.of(names);
    const reference = [...names].sort();
    assert.equal(built.size, reference.length);
    assert.deepEqual(inOrder(built, built.seek('')), reference);
    assert.equal(
      built.rank(built.seek('ns3/')),
      reference.findIndex((k) => k >= 'ns3/'),
    );
    built.insert('ns3/a-new-one');
    built.remove(reference[0]!);
    const after = [...reference.slice(1), 'ns3/a-new-one'].sort();
    assert.deepEqual(inOrder(built, built.seek('')), after);
    assert.equal(SortedKeys.of([]).size, 0);
    assert.deepEqual(inOrder(SortedKeys.of([]), { chunk: 0, index: 0 }), []);
  });

  it('empties and fills again', () => {
    const keys = new SortedKeys();
    for (let i = 0; i < 3_000; i++) keys.insert(`k${String(i).padStart(5, '0')}`);
    for (let i = 0; i < 3_000; i++) keys.remove(`k${String(i).padStart(5, '0')}`);
    assert.equal(keys.size, 0);
    assert.deepEqual(inOrder(keys, keys.seek('')), []);
    keys.remove('absent');
    keys.insert('b');
    keys.insert('a');
    assert.deepEqual(inOrder(keys, keys.seek('')), ['a', 'b']);
  });
});
