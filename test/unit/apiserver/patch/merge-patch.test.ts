import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/types.js';
import { applyMergePatch } from '../../../../hub/apiserver/patch/merge-patch.js';

function aConfigMap(data: Record<string, string> = { 'app.conf': 'port=80', mode: 'prod' }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'settings',
      namespace: 'default',
      resourceVersion: '41',
      labels: { app: 'web', tier: 'front' },
      annotations: { owner: 'ops' },
    },
    data,
  };
}

function aDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.25' },
            { name: 'sidecar', image: 'envoy' },
          ],
        },
      },
    },
  };
}

describe('applyMergePatch (RFC 7386)', () => {
  it('adds a label the way `kubectl label cm settings env=prod` sends it', () => {
    const patched = applyMergePatch(aConfigMap(), { metadata: { labels: { env: 'prod' } } });
    assert.deepEqual(patched.metadata.labels, { app: 'web', tier: 'front', env: 'prod' });
  });

  it('removes a label when `kubectl label cm settings tier-` sends null', () => {
    const patched = applyMergePatch(aConfigMap(), { metadata: { labels: { tier: null } } });
    assert.deepEqual(patched.metadata.labels, { app: 'web' });
  });

  it('overwrites and removes annotations in one `kubectl annotate --overwrite` patch', () => {
    const patched = applyMergePatch(aConfigMap(), {
      metadata: { annotations: { owner: 'platform', note: null, 'example.com/ticket': 'OPS-7' } },
    });
    assert.deepEqual(patched.metadata.annotations, { owner: 'platform', 'example.com/ticket': 'OPS-7' });
  });

  it('removes a ConfigMap data key set to null and keeps the others', () => {
    const patched = applyMergePatch(aConfigMap(), { data: { mode: null, 'extra.conf': 'x=1' } });
    assert.deepEqual(patched['data'], { 'app.conf': 'port=80', 'extra.conf': 'x=1' });
  });

  it('applies the body `kubectl scale --replicas=3` sends', () => {
    const patched = applyMergePatch(aDeployment(), { spec: { replicas: 3 } });
    assert.equal((patched['spec'] as { replicas: number }).replicas, 3);
    assert.deepEqual((patched['spec'] as { selector: unknown }).selector, { matchLabels: { app: 'web' } });
  });

  it('replaces lists wholesale, since merge patches know nothing of merge keys', () => {
    const patched = applyMergePatch(aDeployment(), {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    });
    const spec = (patched['spec'] as { template: { spec: { containers: unknown[] } } }).template.spec;
    assert.deepEqual(spec.containers, [{ name: 'web', image: 'nginx:1.27' }]);
  });

  it('turns a scalar into an object when the patch holds an object there', () => {
    const patched = applyMergePatch(aConfigMap(), { data: { mode: { nested: null, kept: 1 } } });
    assert.deepEqual((patched['data'] as Record<string, unknown>)['mode'], { kept: 1 });
  });

  it('follows the RFC 7386 appendix A examples', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, expected] of cases) {
      const { metadata, ...rest } = applyMergePatch({ metadata: {}, ...(target as object) }, patch);
      assert.deepEqual(metadata, {});
      assert.deepEqual(rest, expected);
    }
  });

  it('never mutates the stored object or aliases the patch body', () => {
    const original = aConfigMap();
    const before = structuredClone(original);
    const patch = { metadata: { labels: { app: null } }, data: { blob: { list: [1, 2] } } };
    const patched = applyMergePatch(original, patch);
    assert.deepEqual(original, before);
    assert.notEqual(patched.metadata, original.metadata);
    (patch.data.blob.list as number[]).push(3);
    assert.deepEqual((patched['data'] as { blob: unknown }).blob, { list: [1, 2] });
  });

  it('keeps a `__proto__` data key as plain data', () => {
    const patch = JSON.parse('{"data": {"__proto__": "not a prototype"}}');
    const data = applyMergePatch(aConfigMap(), patch)['data'] as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, 'not a prototype');
  });

  it('rejects a body that is not a JSON object with 400 BadRequest', () => {
    for (const [body, shape] of [
      [[{ op: 'add' }], 'an array'],
      ['spec', 'a string'],
      [null, 'null'],
    ] as const) {
      assert.throws(() => applyMergePatch(aConfigMap(), body), {
        name: 'ApiError',
        reason: 'BadRequest',
        code: 400,
        message: `merge patch body must be a JSON object, got ${shape}`,
      });
    }
  });
});
