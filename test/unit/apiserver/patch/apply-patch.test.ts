import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/types.js';
import { applyPatch, patchTypeFromContentType } from '../../../../hub/apiserver/patch/apply-patch.js';

function aDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  };
}

describe('patchTypeFromContentType', () => {
  it('maps the four PATCH media types kube-apiserver accepts', () => {
    assert.equal(patchTypeFromContentType('application/json-patch+json'), 'json');
    assert.equal(patchTypeFromContentType('application/merge-patch+json'), 'merge');
    assert.equal(patchTypeFromContentType('application/strategic-merge-patch+json'), 'strategic');
    assert.equal(patchTypeFromContentType('application/apply-patch+yaml'), 'apply');
  });

  it('ignores parameters, case and surrounding blanks', () => {
    assert.equal(patchTypeFromContentType(' Application/Merge-Patch+JSON ; charset=utf-8'), 'merge');
  });

  it('knows nothing of other media types', () => {
    for (const type of ['application/json', 'application/yaml', 'text/plain', '', 'constructor']) {
      assert.equal(patchTypeFromContentType(type), undefined);
    }
  });
});

describe('applyPatch', () => {
  it('dispatches a strategic merge patch with the merge table of the kind', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } };
    const patched = applyPatch('strategic', aDeployment(), patch, 'Deployment');
    assert.deepEqual(patched['spec'], {
      replicas: 1,
      template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    });
  });

  it('dispatches a merge patch, which replaces lists', () => {
    const patched = applyPatch(
      'merge',
      aDeployment(),
      { spec: { template: { spec: { containers: [] } } } },
      'Deployment',
    );
    assert.deepEqual(patched['spec'], { replicas: 1, template: { spec: { containers: [] } } });
  });

  it('dispatches a json patch', () => {
    const patched = applyPatch(
      'json',
      aDeployment(),
      [{ op: 'replace', path: '/spec/replicas', value: 5 }],
      'Deployment',
    );
    assert.equal((patched['spec'] as { replicas: number }).replicas, 5);
  });

  it('returns a new object and leaves the stored one alone', () => {
    const original = aDeployment();
    for (const [type, body] of [
      ['json', [{ op: 'add', path: '/metadata/labels/tier', value: 'front' }]],
      ['merge', { metadata: { labels: { tier: 'front' } } }],
      ['strategic', { metadata: { labels: { tier: 'front' } } }],
    ] as const) {
      const patched = applyPatch(type, original, body, 'Deployment');
      assert.notEqual(patched, original);
      assert.equal(patched.metadata.labels?.['tier'], 'front');
    }
    assert.deepEqual(original, aDeployment());
  });

  it('refuses server-side apply with 415 and points at client-side apply', () => {
    assert.throws(() => applyPatch('apply', aDeployment(), 'apiVersion: apps/v1', 'Deployment'), {
      name: 'ApiError',
      reason: 'UnsupportedMediaType',
      code: 415,
      message:
        'server-side apply (application/apply-patch+yaml) is not supported; use client-side apply (kubectl apply without --server-side)',
    });
  });

  it('answers 422 Invalid when a json patch replaces the whole object with a non-object', () => {
    assert.throws(
      () => applyPatch('json', aDeployment(), [{ op: 'replace', path: '', value: 7 }], 'Deployment'),
      {
        reason: 'Invalid',
        code: 422,
        message: 'the patched Deployment "web" must be a JSON object, got a number',
      },
    );
  });

  it('answers 422 Invalid in the Kubernetes shape when a patch removes metadata', () => {
    assert.throws(() => applyPatch('merge', aDeployment(), { metadata: null }, 'Deployment'), {
      reason: 'Invalid',
      message: 'Deployment.apps "web" is invalid: metadata: Required value: a patch cannot remove metadata',
    });
  });
});
