import assert from 'node:assert/strict';
import { firstInOrder } from '../../../hub/edge-sync/summary-tally.js';

describe('workload summaries: the listed nodes', () => {
  it('are the first names in order, found in one pass whatever the order they come in', () => {
    const names = Array.from({ length: 500 }, (_, i) => `gw-${String((i * 7919) % 500).padStart(3, '0')}`);
    assert.deepEqual(firstInOrder(names, 50), [...names].sort().slice(0, 50));
    assert.deepEqual(firstInOrder(['b', 'a'], 50), ['a', 'b']);
    assert.deepEqual(firstInOrder([], 50), []);
  });
});
