import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { PodReferrers } from '../../../hub/edge-sync/pod-referrers.js';

function pod(name: string, spec: Record<string, unknown>, namespace = 'plant'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec };
}

const projected = {
  volumes: [
    {
      name: 'kube-api-access-x',
      projected: {
        sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'kube-root-ca.crt' } }],
      },
    },
  ],
};

describe('edge sync: which pods reference a config map or secret', () => {
  it('finds the pods by env, envFrom, volumes and projected sources, per namespace', () => {
    const index = new PodReferrers();
    index.set(
      'plant/meter',
      pod('meter', {
        containers: [
          { name: 'app', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'limits', key: 'a' } } }] },
        ],
        ...projected,
      }),
    );
    index.set(
      'plant/logger',
      pod('logger', {
        containers: [{ name: 'app', envFrom: [{ secretRef: { name: 'creds' } }] }],
        volumes: [{ name: 'v', secret: { secretName: 'tls' } }],
      }),
    );
    index.set('other/meter', pod('meter', { containers: [{ name: 'app' }], ...projected }, 'other'));
    assert.deepEqual([...index.of('plant', 'configMaps', 'limits')], ['plant/meter']);
    assert.deepEqual([...index.of('plant', 'configMaps', 'kube-root-ca.crt')], ['plant/meter']);
    assert.deepEqual([...index.of('other', 'configMaps', 'kube-root-ca.crt')], ['other/meter']);
    assert.deepEqual([...index.of('plant', 'secrets', 'creds')], ['plant/logger']);
    assert.deepEqual([...index.of('plant', 'secrets', 'tls')], ['plant/logger']);
    assert.deepEqual([...index.of('plant', 'secrets', 'limits')], [], 'a config map name is not a secret');
  });

  it('forgets what a changed pod no longer references, and a deleted pod', () => {
    const index = new PodReferrers();
    index.set('plant/meter', pod('meter', { containers: [{ name: 'app' }], ...projected }));
    index.set(
      'plant/meter',
      pod('meter', { containers: [{ name: 'app', envFrom: [{ configMapRef: { name: 'limits' } }] }] }),
    );
    assert.deepEqual([...index.of('plant', 'configMaps', 'kube-root-ca.crt')], []);
    assert.deepEqual([...index.of('plant', 'configMaps', 'limits')], ['plant/meter']);
    index.set('plant/meter', undefined);
    assert.deepEqual([...index.of('plant', 'configMaps', 'limits')], []);
  });

  it('takes a malformed pod without failing and indexes what it can read', () => {
    const index = new PodReferrers();
    index.set(
      'plant/odd',
      pod('odd', {
        containers: [null, { name: 'app', env: 'not a list' }],
        volumes: [{ configMap: { name: 'limits' } }],
      }),
    );
    assert.deepEqual([...index.of('plant', 'configMaps', 'limits')], ['plant/odd']);
  });
});
