import assert from 'node:assert/strict';
import { SchedulingQueue } from '../../../hub/scheduler/scheduling-queue.js';

describe('SchedulingQueue', () => {
  it('hands out pods first in, first out, each once', async () => {
    const queue = new SchedulingQueue();
    for (const key of ['a', 'b', 'a', 'c']) queue.add(key);
    assert.deepEqual([await queue.pop(), await queue.pop(), await queue.pop()], ['a', 'b', 'c']);
    assert.equal(queue.activeCount, 0);
    queue.close();
  });

  it('waits for a pod to arrive, and returns undefined once closed', async () => {
    const queue = new SchedulingQueue();
    const next = queue.pop();
    queue.add('late');
    assert.equal(await next, 'late');
    const never = queue.pop();
    queue.close();
    assert.equal(await never, undefined);
  });

  it('backs off exponentially up to the cap, and forgets the history when the pod is removed', () => {
    const queue = new SchedulingQueue({ initialBackoffMs: 1000, maxBackoffMs: 5000 });
    assert.deepEqual(
      [1, 2, 3, 4].map(() => queue.backOff('p')),
      [1000, 2000, 4000, 5000],
    );
    queue.remove('p');
    assert.equal(queue.backOff('p'), 1000);
    queue.close();
  });

  it('retries a backing-off pod after its delay', async () => {
    const queue = new SchedulingQueue({ initialBackoffMs: 5 });
    queue.backOff('p');
    assert.equal(queue.activeCount, 0);
    assert.equal(queue.waitingCount, 1);
    assert.equal(await queue.pop(), 'p');
    queue.close();
  });

  it('moves every waiting pod back at once when the cluster changes', async () => {
    const queue = new SchedulingQueue({ initialBackoffMs: 60_000 });
    queue.backOff('a');
    queue.backOff('b');
    queue.moveAllToActive();
    assert.equal(queue.waitingCount, 0);
    assert.deepEqual([await queue.pop(), await queue.pop()], ['a', 'b']);
    queue.close();
  });
});
