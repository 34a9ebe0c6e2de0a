import assert from 'node:assert/strict';
import { ExpiryQueue } from '../../../hub/controllers/objects/expiry-queue.js';

describe('ExpiryQueue', () => {
  it('hands out only the keys that are due, earliest first', () => {
    const q = new ExpiryQueue();
    for (const [key, at] of [
      ['c', 30],
      ['a', 10],
      ['d', 40],
      ['b', 20],
    ] as const)
      q.set(key, at);
    assert.deepEqual(q.takeDue(25), ['a', 'b']);
    assert.equal(q.next(), 30);
    assert.deepEqual(q.takeDue(25), []);
    assert.deepEqual(q.takeDue(100), ['c', 'd']);
    assert.equal(q.next(), undefined);
  });

  it('uses the latest time set for a key, and forgets deleted keys', () => {
    const q = new ExpiryQueue();
    q.set('renewed', 10);
    q.set('renewed', 50);
    q.set('gone', 5);
    q.delete('gone');
    assert.deepEqual(q.takeDue(20), []);
    assert.equal(q.next(), 50);
    assert.deepEqual(q.takeDue(50), ['renewed']);
  });

  it('stays correct through many renewals of few keys (stale entries compacted)', () => {
    const q = new ExpiryQueue();
    for (let i = 0; i < 10_000; i++) q.set(`k${i % 3}`, 1000 + i);
    assert.equal(q.size, 3);
    // Last set: k1 at 10,997, k2 at 10,998, k0 at 10,999.
    assert.deepEqual(q.takeDue(10_997), ['k1']);
    assert.deepEqual(q.takeDue(20_000), ['k2', 'k0']);
  });
});
