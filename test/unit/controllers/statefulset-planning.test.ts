import assert from 'node:assert/strict';
import type { Pod } from '../../../hub/controllers/objects/kinds.js';
import {
  claimName,
  newClaim,
  newStatefulPod,
  type StatefulSet,
} from '../../../hub/controllers/statefulset/stateful-pod.js';
import { planStatefulSet } from '../../../hub/controllers/statefulset/statefulset-plan.js';
import { statefulSetStatus } from '../../../hub/controllers/statefulset/statefulset-status.js';

const now = new Date('2025-06-01T12:00:00Z');
const revs = { current: 'db-old', update: 'db-new' };
const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'set-uid', controller: true };

function aSet(spec: Partial<StatefulSet['spec']> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'ns', uid: 'set-uid', generation: 3 },
    spec: {
      replicas: 3,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db' }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      ...spec,
    },
  };
}

type PodState = 'ready' | 'pending' | 'failed' | 'terminating';

function aPod(ordinal: number, state: PodState = 'ready', revision = 'db-new'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `db-${ordinal}`,
      namespace: 'ns',
      uid: `pod-${ordinal}`,
      labels: { app: 'db', 'controller-revision-hash': revision },
      ...(state === 'terminating' ? { deletionTimestamp: '2025-06-01T11:59:00Z' } : {}),
    },
    status:
      state === 'ready' || state === 'terminating'
        ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }
        : { phase: state === 'failed' ? 'Failed' : 'Pending' },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

describe('StatefulSet planning', () => {
  it('OrderedReady creates only the lowest missing pod, and only once those below are Running and Ready', () => {
    assert.deepEqual(planStatefulSet(aSet(), [], revs, now).create, [{ ordinal: 0, revision: 'update' }]);
    const waiting = planStatefulSet(aSet(), [aPod(0, 'pending')], revs, now);
    assert.deepEqual(waiting.create, []);
    assert.equal(waiting.waitingFor, 'db-0 to be Running and Ready');
    assert.deepEqual(planStatefulSet(aSet(), [aPod(0)], revs, now).create, [
      { ordinal: 1, revision: 'update' },
    ]);
  });

  it('Parallel creates every missing pod at once', () => {
    const plan = planStatefulSet(aSet({ podManagementPolicy: 'Parallel' }), [aPod(1, 'pending')], revs, now);
    assert.deepEqual(
      plan.create.map((c) => c.ordinal),
      [0, 2],
    );
  });

  it('scales down from the highest ordinal, one at a time, waiting for it to terminate', () => {
    const pods = [aPod(0), aPod(1), aPod(2), aPod(3)];
    const first = planStatefulSet(aSet({ replicas: 2 }), pods, revs, now);
    assert.deepEqual(names(first.remove), ['db-3']);
    const second = planStatefulSet(
      aSet({ replicas: 2 }),
      [aPod(0), aPod(1), aPod(2), aPod(3, 'terminating')],
      revs,
      now,
    );
    assert.deepEqual(second.remove, []);
    assert.equal(second.waitingFor, 'db-3 to terminate');
  });

  it('does not scale down while a remaining pod is not ready', () => {
    const plan = planStatefulSet(aSet({ replicas: 1 }), [aPod(0, 'pending'), aPod(1)], revs, now);
    assert.deepEqual(plan.remove, []);
  });

  it('Parallel deletes every surplus pod at once', () => {
    const set = aSet({ replicas: 1, podManagementPolicy: 'Parallel' });
    assert.deepEqual(names(planStatefulSet(set, [aPod(0), aPod(1), aPod(2)], revs, now).remove), [
      'db-2',
      'db-1',
    ]);
  });

  it('replaces a failed pod', () => {
    assert.deepEqual(names(planStatefulSet(aSet(), [aPod(0, 'failed')], revs, now).remove), ['db-0']);
  });

  it('rolls out from the highest ordinal down, one pod at a time, stopping at the partition', () => {
    const old = [aPod(0, 'ready', 'db-old'), aPod(1, 'ready', 'db-old'), aPod(2, 'ready', 'db-old')];
    assert.deepEqual(names(planStatefulSet(aSet(), old, revs, now).remove), ['db-2']);
    const partitioned = aSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    const done = [aPod(0, 'ready', 'db-old'), aPod(1, 'ready', 'db-old'), aPod(2)];
    assert.deepEqual(planStatefulSet(partitioned, done, revs, now).remove, []);
    // A missing pod below the partition comes back at the current revision.
    assert.deepEqual(planStatefulSet(partitioned, [aPod(1, 'ready', 'db-old'), aPod(2)], revs, now).create, [
      { ordinal: 0, revision: 'current' },
    ]);
  });

  it('waits for an updated pod to be ready before the next one, and never deletes with OnDelete', () => {
    const mid = [aPod(0, 'ready', 'db-old'), aPod(1, 'ready', 'db-old'), aPod(2, 'pending')];
    assert.deepEqual(planStatefulSet(aSet(), mid, revs, now).remove, []);
    const onDelete = aSet({ updateStrategy: { type: 'OnDelete' } });
    const old = [aPod(0, 'ready', 'db-old'), aPod(1, 'ready', 'db-old'), aPod(2, 'ready', 'db-old')];
    assert.deepEqual(planStatefulSet(onDelete, old, revs, now), { create: [], remove: [], waitingFor: '' });
  });
});

describe('StatefulSet pods, claims and status', () => {
  it('names the pod and its host after the ordinal, labels its revision, and mounts its claims', () => {
    const set = aSet({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] });
    const pod = newStatefulPod(set, set.spec.template!, 2, 'db-new', ref) as Pod & { spec: any };
    assert.equal(pod.metadata.name, 'db-2');
    assert.deepEqual(pod.metadata.labels, {
      app: 'db',
      'statefulset.kubernetes.io/pod-name': 'db-2',
      'apps.kubernetes.io/pod-index': '2',
      'controller-revision-hash': 'db-new',
    });
    assert.equal(pod.spec.hostname, 'db-2');
    assert.equal(pod.spec.subdomain, 'db');
    assert.deepEqual(pod.spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-2' } }]);
    assert.deepEqual(pod.metadata.ownerReferences, [ref]);
  });

  it('makes claims without an owner by default, owned by the set with whenDeleted=Delete', () => {
    const template = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } };
    const kept = newClaim(aSet({ volumeClaimTemplates: [template] }), template, 0, ref);
    assert.equal(kept.metadata.name, 'data-db-0');
    assert.equal(claimName(template, aSet(), 0), 'data-db-0');
    assert.deepEqual(kept.metadata.labels, { app: 'db' });
    assert.equal(kept.metadata.ownerReferences, undefined);
    const owned = newClaim(
      aSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }),
      template,
      0,
      ref,
    );
    assert.deepEqual(owned.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'set-uid' },
    ]);
  });

  it('counts pods per revision and makes the update revision current once all are updated and ready', () => {
    const mid = statefulSetStatus(
      aSet(),
      [aPod(0, 'ready', 'db-old'), aPod(1), aPod(2, 'pending')],
      revs,
      now,
    );
    assert.deepEqual(mid, {
      observedGeneration: 3,
      replicas: 3,
      readyReplicas: 2,
      currentReplicas: 1,
      updatedReplicas: 2,
      availableReplicas: 2,
      currentRevision: 'db-old',
      updateRevision: 'db-new',
      collisionCount: 0,
    });
    const done = statefulSetStatus(aSet(), [aPod(0), aPod(1), aPod(2)], revs, now);
    assert.equal(done.currentRevision, 'db-new');
    assert.equal(done.currentReplicas, 3);
  });
});
