import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { agentFormOf, fingerprintOf } from '../../../hub/edge-sync/agent-forms.js';
import { deepFreeze } from '../../../hub/store/deep-freeze.js';

const pod = (image: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', resourceVersion: '5' },
  spec: { containers: [{ name: 'c', image }] },
  status: { phase: 'Running' },
});

describe('agent forms', () => {
  it('fingerprints what an agent gets of a stored object: status and resourceVersion aside', () => {
    const stored = deepFreeze(pod('busybox'));
    const form = agentFormOf(stored);
    assert.equal(form.status, undefined);
    assert.equal(fingerprintOf(agentFormOf(stored)), fingerprintOf(form));
    const statusOnly = deepFreeze({
      ...pod('busybox'),
      metadata: { ...pod('x').metadata, resourceVersion: '6' },
    });
    assert.equal(fingerprintOf(agentFormOf(statusOnly)), fingerprintOf(form));
    assert.notEqual(fingerprintOf(agentFormOf(deepFreeze(pod('nginx')))), fingerprintOf(form));
  });

  it('carries ephemeral containers only when the pod has some', () => {
    const debugged = pod('busybox');
    const spec = debugged.spec as Record<string, unknown>;
    spec.ephemeralContainers = [{ name: 'dbg', image: 'busybox', targetContainerName: 'c' }];
    const withOne = agentFormOf(deepFreeze(structuredClone(debugged)));
    assert.deepEqual((withOne.spec as Record<string, unknown>).ephemeralContainers, spec.ephemeralContainers);
    spec.ephemeralContainers = [];
    const emptied = agentFormOf(deepFreeze(debugged));
    assert.equal('ephemeralContainers' in (emptied.spec as object), false);
    assert.equal(fingerprintOf(emptied), fingerprintOf(agentFormOf(deepFreeze(pod('busybox')))));
  });

  it('never caches what may still change: an object that is not frozen is trimmed afresh each time', () => {
    const mutable = pod('busybox');
    const before = fingerprintOf(agentFormOf(mutable));
    (mutable.spec as { containers: Array<{ image: string }> }).containers[0]!.image = 'nginx';
    assert.notEqual(fingerprintOf(agentFormOf(mutable)), before);
  });
});
