import assert from 'node:assert/strict';
import { maxListedRefusals, refusalOf, validateRefusal } from '../../../api/mqtt/payloads/refusal.js';
import { inSentOrder } from '../../../hub/edge-sync/refusals.js';

describe('refusals to a gateway', () => {
  it('number handler refusals by their position in the batch as sent, in item order', () => {
    const fromValidator = [{ index: 1, reason: 'bad' }];
    // The handler saw items 0, 2 and 3 of the batch; its second one (sent as 2) was refused.
    const merged = inSentOrder(fromValidator, [{ index: 1, reason: 'not its own' }], [0, 2, 3]);
    assert.deepEqual(merged, [
      { index: 1, reason: 'bad' },
      { index: 2, reason: 'not its own' },
    ]);
    assert.deepEqual(inSentOrder([], [{ reason: 'whole' }], undefined), [{ reason: 'whole' }]);
  });

  it('list a bounded number of items with bounded reasons, and count the rest', () => {
    const many = Array.from({ length: maxListedRefusals + 7 }, (_, index) => ({
      index,
      reason: 'x'.repeat(5000),
    }));
    const refusal = refusalOf('events', many);
    assert.equal(refusal.refused.length, maxListedRefusals);
    assert.equal(refusal.omitted, 7);
    assert.equal(refusal.refused[0]?.reason.length, 1024);
    assert.equal(validateRefusal(refusal).ok, true);
  });
});
