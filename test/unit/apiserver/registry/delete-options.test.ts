import assert from 'node:assert/strict';
import { deleteOptionsFrom } from '../../../../hub/apiserver/registry/delete-options.js';

describe('DeleteOptions from a request body', () => {
  const none = new URLSearchParams();

  it('takes string preconditions', () => {
    const options = deleteOptionsFrom({ preconditions: { uid: 'u-1', resourceVersion: '7' } }, none);
    assert.deepEqual(options.preconditions, { uid: 'u-1', resourceVersion: '7' });
  });

  // Found by the fuzz suite: an object as precondition uid reached a template string after the
  // object was read, and String() of {toString: []} threw: a 500 instead of a 400.
  for (const [field, value] of [
    ['uid', { toString: [] }],
    ['uid', 5],
    ['resourceVersion', ['1']],
    ['resourceVersion', true],
  ] as const) {
    it(`refuses a precondition ${field} of ${JSON.stringify(value)} with 400 BadRequest`, () => {
      assert.throws(() => deleteOptionsFrom({ preconditions: { [field]: value } }, none), {
        reason: 'BadRequest',
        message: `DeleteOptions.preconditions.${field}: must be a string, got ${JSON.stringify(value)}`,
      });
    });
  }

  it('reads a null precondition as absent, as Go decodes it', () => {
    assert.equal(deleteOptionsFrom({ preconditions: { uid: null } }, none).preconditions?.uid, null);
  });
});
