import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../api/types.js';
import { applyStrategicMergePatch } from '../../../../hub/apiserver/patch/strategic-merge-patch.js';

function aPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-0',
      labels: { app: 'web', tier: 'front' },
      finalizers: ['example.com/a', 'example.com/b'],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d', uid: 'u1' }],
    },
    spec: {
      nodeSelector: { zone: 'a', disk: 'ssd' },
      containers: [{ name: 'web', image: 'nginx' }],
      tolerations: [{ key: 'edge', operator: 'Exists' }],
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
    },
  };
}

// Reads a dotted path of the result, for assertions only.
function at(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], object);
}

function patchPod(patch: unknown): KubeObject {
  return applyStrategicMergePatch(aPod(), patch, 'Pod');
}

describe('applyStrategicMergePatch', () => {
  describe('maps and primitive lists', () => {
    it('merges maps recursively and deletes keys set to null', () => {
      const pod = patchPod({
        metadata: { labels: { tier: null, env: 'prod' } },
        spec: { nodeSelector: { zone: 'b' } },
      });
      assert.deepEqual(pod.metadata.labels, { app: 'web', env: 'prod' });
      assert.deepEqual(at(pod, 'spec.nodeSelector'), { zone: 'b', disk: 'ssd' });
    });

    it('replaces a map marked `$patch: replace`', () => {
      const pod = patchPod({ spec: { nodeSelector: { $patch: 'replace', zone: 'c' } } });
      assert.deepEqual(at(pod, 'spec.nodeSelector'), { zone: 'c' });
    });

    it('empties a map marked `$patch: delete`', () => {
      assert.deepEqual(patchPod({ metadata: { labels: { $patch: 'delete' } } }).metadata.labels, {});
    });

    it('unions finalizers, a merged list of primitives', () => {
      const pod = patchPod({ metadata: { finalizers: ['example.com/b', 'example.com/c'] } });
      assert.deepEqual(pod.metadata.finalizers, ['example.com/a', 'example.com/b', 'example.com/c']);
    });

    it('removes finalizers listed in `$deleteFromPrimitiveList/finalizers`', () => {
      const pod = patchPod({ metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/a'] } });
      assert.deepEqual(pod.metadata.finalizers, ['example.com/b']);
    });

    it('orders finalizers as `$setElementOrder/finalizers` says', () => {
      const pod = patchPod({
        metadata: {
          '$setElementOrder/finalizers': ['example.com/c', 'example.com/b', 'example.com/a'],
          finalizers: ['example.com/c'],
        },
      });
      assert.deepEqual(pod.metadata.finalizers, ['example.com/c', 'example.com/b', 'example.com/a']);
    });
  });

  describe('lists of objects', () => {
    it('merges ownerReferences by uid', () => {
      const pod = patchPod({
        metadata: {
          ownerReferences: [
            { uid: 'u1', controller: true },
            { uid: 'u2', kind: 'Job', name: 'j' },
          ],
        },
      });
      assert.deepEqual(pod.metadata.ownerReferences, [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d', uid: 'u1', controller: true },
        { uid: 'u2', kind: 'Job', name: 'j' },
      ]);
    });

    it('merges pod status conditions by type', () => {
      const pod = patchPod({ status: { conditions: [{ type: 'Ready', status: 'True' }] } });
      assert.deepEqual(at(pod, 'status.conditions'), [
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ]);
    });

    it('replaces tolerations, which Kubernetes declares atomic', () => {
      const pod = patchPod({ spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } });
      assert.deepEqual(at(pod, 'spec.tolerations'), [{ key: 'gpu', operator: 'Exists' }]);
    });

    it('replaces a merged list that holds a `{"$patch": "replace"}` element', () => {
      const pod = patchPod({
        spec: { containers: [{ name: 'api', image: 'api:2' }, { $patch: 'replace' }] },
      });
      assert.deepEqual(at(pod, 'spec.containers'), [{ name: 'api', image: 'api:2' }]);
    });

    it('keeps stored elements the client did not name near their stored position', () => {
      const node: KubeObject = {
        kind: 'Node',
        metadata: { name: 'gw-1' },
        status: {
          addresses: [
            { type: 'InternalIP', address: '10.0.0.5' },
            { type: 'Hostname', address: 'gw-1' },
            { type: 'ExternalIP', address: '203.0.113.9' },
          ],
        },
      };
      const patched = applyStrategicMergePatch(
        node,
        { status: { '$setElementOrder/addresses': [{ type: 'ExternalIP' }, { type: 'InternalIP' }] } },
        'Node',
      );
      const types = (at(patched, 'status.addresses') as { type: string }[]).map((a) => a.type);
      assert.deepEqual(types, ['Hostname', 'ExternalIP', 'InternalIP']);
    });

    it('strips directives and nulls from elements new to the store', () => {
      const pod = patchPod({
        spec: {
          containers: [{ name: 'side', image: 'envoy', env: [{ name: 'A', value: null }], resources: null }],
        },
      });
      assert.deepEqual(at(pod, 'spec.containers'), [
        { name: 'web', image: 'nginx' },
        { name: 'side', image: 'envoy', env: [{ name: 'A' }] },
      ]);
    });
  });

  describe('per-kind tables', () => {
    it('merges Service ports by port', () => {
      const svc: KubeObject = {
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { ports: [{ port: 80, targetPort: 8080, name: 'http' }], clusterIP: '10.96.0.12' },
      };
      const patched = applyStrategicMergePatch(
        svc,
        {
          spec: {
            ports: [
              { port: 80, targetPort: 8081 },
              { port: 443, name: 'https' },
            ],
          },
        },
        'Service',
      );
      assert.deepEqual(at(patched, 'spec.ports'), [
        { port: 80, targetPort: 8081, name: 'http' },
        { port: 443, name: 'https' },
      ]);
      assert.equal(at(patched, 'spec.clusterIP'), '10.96.0.12');
    });

    it('merges the containers of a CronJob job template by name', () => {
      const cron: KubeObject = {
        kind: 'CronJob',
        metadata: { name: 'backup' },
        spec: {
          jobTemplate: {
            spec: {
              template: { spec: { containers: [{ name: 'dump', image: 'pg:15' }, { name: 'upload' }] } },
            },
          },
        },
      };
      const patched = applyStrategicMergePatch(
        cron,
        {
          spec: {
            jobTemplate: { spec: { template: { spec: { containers: [{ name: 'dump', image: 'pg:16' }] } } } },
          },
        },
        'CronJob',
      );
      assert.deepEqual(at(patched, 'spec.jobTemplate.spec.template.spec.containers'), [
        { name: 'dump', image: 'pg:16' },
        { name: 'upload' },
      ]);
    });

    it('removes a ConfigMap data key that apply sends as null', () => {
      const cm: KubeObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c' },
        data: { a: '1', b: '2' },
      };
      const patched = applyStrategicMergePatch(cm, { data: { b: null, c: '3' } }, 'ConfigMap');
      assert.deepEqual(patched['data'], { a: '1', c: '3' });
    });

    it('treats every list of an unknown kind as atomic but still honours directives', () => {
      const widget: KubeObject = {
        kind: 'Widget',
        metadata: { name: 'w', finalizers: ['a'] },
        spec: { items: [{ name: 'x', size: 1 }], options: { a: 1, b: 2 } },
      };
      const patched = applyStrategicMergePatch(
        widget,
        {
          metadata: { finalizers: ['b'] },
          spec: {
            '$setElementOrder/items': [{ name: 'y' }],
            items: [{ name: 'y' }],
            options: { $patch: 'replace', c: 3 },
          },
        },
        'Widget',
      );
      assert.deepEqual(patched.metadata.finalizers, ['b']);
      assert.deepEqual(patched['spec'], { items: [{ name: 'y' }], options: { c: 3 } });
    });
  });
});
