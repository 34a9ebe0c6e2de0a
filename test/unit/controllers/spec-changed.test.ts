import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { specOrDeletionChanged } from '../../../hub/controllers/objects/spec-changed.js';

const rs = (
  generation: number,
  extra: Partial<KubeObject['metadata']> = {},
  status?: object,
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default', generation, ...extra },
  ...(status ? { status } : {}),
});

describe('specOrDeletionChanged', () => {
  it('is false for a write of status, labels or annotations alone (the controller waits its quiet period)', () => {
    assert.equal(specOrDeletionChanged(rs(3, {}, { replicas: 5 }), rs(3, {}, { replicas: 4 })), false);
    assert.equal(specOrDeletionChanged(rs(3, { annotations: { a: 'b' } }), rs(3)), false);
  });

  it('is true when the spec changed (the generation moved) or the deletion began', () => {
    assert.equal(specOrDeletionChanged(rs(4), rs(3)), true);
    assert.equal(specOrDeletionChanged(rs(3, { deletionTimestamp: '2026-12-06T19:00:00Z' }), rs(3)), true);
  });
});
