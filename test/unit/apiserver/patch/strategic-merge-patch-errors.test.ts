import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/types.js';
import { applyStrategicMergePatch } from '../../../../hub/apiserver/patch/strategic-merge-patch.js';

function aDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', finalizers: ['example.com/a'] },
    spec: {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
  };
}

function patchDeployment(patch: unknown): KubeObject {
  return applyStrategicMergePatch(aDeployment(), patch, 'Deployment');
}

function containersPatch(containers: unknown[]): unknown {
  return { spec: { template: { spec: { containers } } } };
}

const containersPath = 'spec.template.spec.containers';

describe('applyStrategicMergePatch errors', () => {
  it('rejects a body that is not a JSON object with 400 BadRequest', () => {
    assert.throws(() => patchDeployment([{ spec: {} }]), {
      name: 'ApiError',
      reason: 'BadRequest',
      code: 400,
      message: 'strategic merge patch body must be a JSON object, got an array',
    });
  });

  it('rejects a merged list element without its merge key', () => {
    assert.throws(() => patchDeployment(containersPatch([{ image: 'nginx:1.27' }])), {
      reason: 'BadRequest',
      message: `strategic merge patch at ${containersPath}: element 0 does not contain the merge key "name"`,
    });
  });

  it('rejects a `$patch: delete` element without its merge key', () => {
    assert.throws(
      () => patchDeployment(containersPatch([{ name: 'web' }, { $patch: 'delete', image: 'x' }])),
      {
        reason: 'BadRequest',
        message: `strategic merge patch at ${containersPath}: element 1 does not contain the merge key "name"`,
      },
    );
  });

  it('rejects a merged list element that is not an object', () => {
    assert.throws(() => patchDeployment(containersPatch(['web'])), {
      reason: 'BadRequest',
      message: `strategic merge patch at ${containersPath}: element 0 must be an object, got a string`,
    });
  });

  it('rejects an unknown `$patch` value', () => {
    assert.throws(() => patchDeployment({ spec: { strategy: { $patch: 'upsert' } } }), {
      reason: 'BadRequest',
      message: 'strategic merge patch at spec.strategy: unknown $patch directive "upsert"',
    });
  });

  it('rejects a lone list directive other than replace', () => {
    assert.throws(() => patchDeployment(containersPatch([{ $patch: 'delete' }])), {
      reason: 'BadRequest',
      message: `strategic merge patch at ${containersPath}: a list element holding only $patch must be {"$patch": "replace"}`,
    });
  });

  it('rejects unknown directives rather than storing them', () => {
    assert.throws(() => patchDeployment({ metadata: { $unknown: true } }), {
      reason: 'BadRequest',
      message: 'strategic merge patch at metadata: unknown strategic merge patch directive "$unknown"',
    });
  });

  it('answers 422 Invalid when a patch sets a field its `$retainKeys` leaves out', () => {
    assert.throws(
      () =>
        patchDeployment({
          spec: { strategy: { $retainKeys: ['type'], type: 'RollingUpdate', rollingUpdate: {} } },
        }),
      {
        reason: 'Invalid',
        code: 422,
        message:
          'strategic merge patch at spec.strategy: field "rollingUpdate" is set but not listed in $retainKeys',
      },
    );
  });

  it('rejects a `$retainKeys` that is not a list of field names', () => {
    assert.throws(() => patchDeployment({ spec: { strategy: { $retainKeys: 'type' } } }), {
      reason: 'BadRequest',
      message: 'strategic merge patch at spec.strategy: $retainKeys must be a list of field names',
    });
  });

  it('rejects `$deleteFromPrimitiveList` and `$setElementOrder` values that are not lists', () => {
    assert.throws(
      () => patchDeployment({ metadata: { '$deleteFromPrimitiveList/finalizers': 'example.com/a' } }),
      {
        reason: 'BadRequest',
        message:
          'strategic merge patch at metadata: $deleteFromPrimitiveList/finalizers must be a list, got a string',
      },
    );
    assert.throws(
      () => patchDeployment({ spec: { template: { spec: { '$setElementOrder/containers': {} } } } }),
      {
        reason: 'BadRequest',
        message:
          'strategic merge patch at spec.template.spec: $setElementOrder/containers must be a list, got an object',
      },
    );
  });

  it('rejects `$setElementOrder` entries without the merge key', () => {
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ image: 'nginx' }] } } } };
    assert.throws(() => patchDeployment(patch), {
      reason: 'BadRequest',
      message: `strategic merge patch at ${containersPath}: $setElementOrder entry 0 must be an object with the merge key "name"`,
    });
  });

  it('rejects objects in a merged list of primitives', () => {
    assert.throws(() => patchDeployment({ metadata: { finalizers: [{ name: 'x' }] } }), {
      reason: 'BadRequest',
      message:
        'strategic merge patch at metadata.finalizers: a merged list of primitives cannot hold an object',
    });
  });
});
