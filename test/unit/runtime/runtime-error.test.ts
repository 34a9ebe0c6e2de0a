import assert from 'node:assert/strict';
import { isNotFound, RuntimeError } from '../../../edge-agent/runtime/container-runtime.js';

describe('RuntimeError', () => {
  it('is recognized when made by the copy of its module that import() loads, as a lazily loaded runtime makes it', async () => {
    const other = await import('../../../edge-agent/runtime/container-runtime.js');
    const error = new other.RuntimeError('NotFound', 'sandbox abc not found');
    assert.ok(error instanceof RuntimeError);
    assert.ok(isNotFound(error));
  });

  it('is not any other error', () => {
    assert.ok(!(new Error('NotFound') instanceof RuntimeError));
    assert.ok(!isNotFound(Object.assign(new Error('gone'), { code: 'NotFound' })));
  });
});
