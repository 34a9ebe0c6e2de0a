import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/types.js';
import { applyJsonPatch } from '../../../../hub/apiserver/patch/json-patch.js';

function aPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } },
    spec: {
      containers: [
        { name: 'web', image: 'nginx:1.25', args: ['--port', '80'] },
        { name: 'sidecar', image: 'envoy:1.30' },
      ],
    },
  };
}

type PodShape = KubeObject & { spec: { containers: { name: string; image: string; args?: string[] }[] } };

function patchPod(ops: unknown): PodShape {
  return applyJsonPatch(aPod(), ops) as PodShape;
}

describe('applyJsonPatch (RFC 6902)', () => {
  it('replaces an image the way `kubectl patch --type=json` sends it', () => {
    const pod = patchPod([{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }]);
    assert.equal(pod.spec.containers[0]?.image, 'nginx:1.27');
  });

  it('appends to a list with the "-" index and inserts at a position', () => {
    const pod = patchPod([
      { op: 'add', path: '/spec/containers/0/args/-', value: '--verbose' },
      { op: 'add', path: '/spec/containers/0/args/0', value: '--first' },
    ]);
    assert.deepEqual(pod.spec.containers[0]?.args, ['--first', '--port', '80', '--verbose']);
  });

  it('removes, moves and copies fields', () => {
    const pod = patchPod([
      { op: 'remove', path: '/spec/containers/1' },
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/component' },
      { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' },
    ]);
    assert.deepEqual(
      pod.spec.containers.map((c) => c.name),
      ['web'],
    );
    assert.deepEqual(pod.metadata.labels, { component: 'web', name: 'web' });
  });

  it('escapes "/" in label keys as "~1" (RFC 6901)', () => {
    const pod = patchPod([{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' }]);
    assert.equal(pod.metadata.labels?.['app.kubernetes.io/name'], 'web');
  });

  it('applies the operations after a passing test, as an optimistic guard', () => {
    const pod = patchPod([
      { op: 'test', path: '/metadata/labels/app', value: 'web' },
      { op: 'replace', path: '/metadata/labels/app', value: 'api' },
    ]);
    assert.equal(pod.metadata.labels?.['app'], 'api');
  });

  it('answers 422 Invalid naming the operation when a test fails, and applies nothing', () => {
    const original = aPod();
    assert.throws(
      () =>
        applyJsonPatch(original, [
          { op: 'replace', path: '/metadata/labels/app', value: 'api' },
          { op: 'test', path: '/metadata/labels/app', value: 'web' },
        ]),
      {
        name: 'ApiError',
        reason: 'Invalid',
        code: 422,
        message:
          'json patch operation 1 (test /metadata/labels/app) failed: the value at the path does not equal the expected value',
      },
    );
    assert.equal(original.metadata.labels?.['app'], 'web');
  });

  it('answers 422 Invalid when the path to replace or remove does not exist', () => {
    assert.throws(() => patchPod([{ op: 'remove', path: '/metadata/annotations/owner' }]), {
      reason: 'Invalid',
      message:
        'json patch operation 0 (remove /metadata/annotations/owner) cannot be applied: the path does not exist',
    });
    assert.throws(() => patchPod([{ op: 'replace', path: '/spec/containers/5/image', value: 'x' }]), {
      reason: 'Invalid',
      message:
        'json patch operation 0 (replace /spec/containers/5/image) cannot be applied: the path does not exist',
    });
  });

  it('answers 422 Invalid when an add has no parent or runs past the end of a list', () => {
    assert.throws(() => patchPod([{ op: 'add', path: '/metadata/annotations/owner', value: 'ops' }]), {
      reason: 'Invalid',
      message:
        'json patch operation 0 (add /metadata/annotations/owner) cannot be applied: the parent of the path does not exist',
    });
    assert.throws(() => patchPod([{ op: 'add', path: '/spec/containers/7', value: {} }]), {
      reason: 'Invalid',
      message:
        'json patch operation 0 (add /spec/containers/7) cannot be applied: the array index is past the end of the array',
    });
  });

  it('answers 422 Invalid when a move comes from a path that does not exist', () => {
    assert.throws(() => patchPod([{ op: 'move', from: '/metadata/uid', path: '/metadata/name' }]), {
      reason: 'Invalid',
      message:
        'json patch operation 0 (move /metadata/name) cannot be applied: "from" path /metadata/uid does not exist',
    });
  });

  it('answers 422 Invalid when a move goes into its own child, which would make the object contain itself', () => {
    // Found by the fuzz suite: a move from the root into /metadata made a circular document,
    // and the API server answered 500 when it tried to encode it.
    assert.throws(() => patchPod([{ op: 'move', from: '', path: '/metadata' }]), {
      reason: 'Invalid',
      message:
        'json patch operation 0 (move /metadata) cannot be applied: "from" (the root) is a proper prefix of "path": a location cannot be moved into one of its children',
    });
    assert.throws(() => patchPod([{ op: 'move', from: '/spec', path: '/spec/containers/0/spec' }]), {
      reason: 'Invalid',
    });
    // A sibling whose name merely starts the same is not a child.
    const moved = patchPod([{ op: 'move', from: '/metadata/labels', path: '/metadata/labelsOld' }]);
    assert.deepEqual((moved.metadata as Record<string, unknown>).labelsOld, { app: 'web' });
  });

  it('reports the failing field in the Status causes', () => {
    assert.throws(
      () => patchPod([{ op: 'remove', path: '/spec/nodeName' }]),
      (err: { details?: { causes?: { field?: string }[] } }) =>
        err.details?.causes?.[0]?.field === '/spec/nodeName',
    );
  });

  it('rejects a body that is not an array with 400 BadRequest', () => {
    assert.throws(() => patchPod({ op: 'add', path: '/spec/x', value: 1 }), {
      name: 'ApiError',
      reason: 'BadRequest',
      code: 400,
      message: 'json patch body must be an array of operations, got an object',
    });
  });

  it('rejects malformed operations with 400 BadRequest naming the operation index', () => {
    const cases: [unknown[], string][] = [
      [['add'], 'json patch operation 0 must be an object, got a string'],
      [
        [
          { op: 'test', path: '/a', value: 1 },
          { op: 'upsert', path: '/a' },
        ],
        'json patch operation 1 unknown op "upsert": must be one of add, remove, replace, move, copy, test',
      ],
      [
        [{ op: '_get', path: '/a' }],
        'json patch operation 0 unknown op "_get": must be one of add, remove, replace, move, copy, test',
      ],
      [
        [{ op: 'remove', path: 'metadata/name' }],
        'json patch operation 0 path must be a JSON pointer: a string that is empty or starts with "/"',
      ],
      [[{ op: 'copy', path: '/a' }], 'json patch operation 0 "from" is required for copy'],
      [[{ op: 'add', path: '/a' }], 'json patch operation 0 "value" is required for add'],
    ];
    for (const [ops, message] of cases) {
      assert.throws(() => patchPod(ops), { reason: 'BadRequest', code: 400, message });
    }
  });

  it('never mutates the stored object nor stores the patch body by reference', () => {
    const original = aPod();
    const before = structuredClone(original);
    const value = { name: 'init', image: 'busybox' };
    const pod = applyJsonPatch(original, [{ op: 'add', path: '/spec/containers/-', value }]) as PodShape;
    assert.deepEqual(original, before);
    value.image = 'changed';
    assert.equal(pod.spec.containers[2]?.image, 'busybox');
  });

  it('accepts an empty operation list as a no-op', () => {
    assert.deepEqual(patchPod([]), aPod());
  });

  describe('bounds, as kube-apiserver bounds JSON patches', () => {
    it("refuses more than 10,000 operations with 413, in kube's words", () => {
      const ops = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/kind', value: 'Pod' }));
      assert.throws(() => patchPod(ops), {
        reason: 'RequestEntityTooLarge',
        code: 413,
        message:
          'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
      });
      assert.equal(patchPod(ops.slice(1)).kind, 'Pod');
    });

    it('refuses copies that grow the document past 3 MiB in all, before making them', () => {
      const bomb = Array.from({ length: 26 }, (_, i) => ({ op: 'copy', from: '/spec', path: `/spec/c${i}` }));
      assert.throws(() => patchPod(bomb), {
        reason: 'Invalid',
        code: 422,
        message:
          /^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/,
      });
    });

    it('allows copies that stay within the budget', () => {
      const pod = patchPod([{ op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' }]);
      assert.equal(pod.spec.containers.length, 3);
    });
  });
});
