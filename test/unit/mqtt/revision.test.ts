import assert from 'node:assert/strict';
import { isNewerRevision } from '../../../api/mqtt/revision.js';

describe('isNewerRevision', () => {
  it('applies the first revision an agent sees', () => {
    assert.equal(isNewerRevision(0, undefined), true);
    assert.equal(isNewerRevision(41, undefined), true);
  });

  it('ignores duplicates and older revisions', () => {
    assert.equal(isNewerRevision(41, 41), false);
    assert.equal(isNewerRevision(40, 41), false);
    assert.equal(isNewerRevision(42, 41), true);
  });

  it('ignores revisions that are not safe non-negative integers', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60])
      assert.equal(isNewerRevision(bad, undefined), false, String(bad));
  });
});
