import assert from 'node:assert/strict';
import { systemClock } from '../../../api/clock.js';
import {
  mergePlans,
  planClaims,
  selectorMatcher,
} from '../../../hub/controllers/objects/controller-ref-manager.js';
import type { ReplicaSet } from '../../../hub/controllers/objects/kinds.js';
import { Expectations } from '../../../hub/controllers/replicaset/expectations.js';
import {
  burstReplicas,
  planReplicaSet,
  podFromTemplate,
} from '../../../hub/controllers/replicaset/replicaset-plan.js';
import {
  countPods,
  replicaSetStatus,
  sumCounts,
} from '../../../hub/controllers/replicaset/replicaset-status.js';
import { slowStartBatch } from '../../../hub/controllers/replicaset/slow-start.js';
import { aPodOf, aReplicaSetOf, at, t0 } from './workload-builders.js';

const now = new Date(t0 + 3600_000);
const rsOf = (replicas: number): ReplicaSet => ({
  ...aReplicaSetOf('web', replicas),
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web', tier: 'front' }, annotations: { note: 'x' } },
      spec: { containers: [] },
    },
  },
});
const ownedBy = (uid: string) => [
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true },
];

describe('ReplicaSet planning', () => {
  it('creates the missing pods and deletes the surplus, at most a burst at a time', () => {
    const pods = [aPodOf('a'), aPodOf('b', { node: 'n1', readySince: 0 })];
    assert.deepEqual(planReplicaSet(rsOf(5), pods, pods, now), { create: 3, remove: [] });
    assert.deepEqual(planReplicaSet(rsOf(2), pods, pods, now), { create: 0, remove: [] });
    const surplus = planReplicaSet(rsOf(1), pods, pods, now);
    assert.deepEqual(
      surplus.remove.map((p) => p.metadata.name),
      ['a'],
    );
    assert.equal(planReplicaSet(rsOf(burstReplicas + 100), [], [], now).create, burstReplicas);
  });

  it('makes pods from the template with generateName <rs>- and the controller reference', () => {
    const rs = rsOf(1);
    const pod = podFromTemplate(rs, ownedBy('web-uid')[0]!);
    assert.equal(pod.metadata.generateName, 'web-');
    assert.equal(pod.metadata.name, undefined);
    assert.deepEqual(pod.metadata.labels, { app: 'web', tier: 'front' });
    assert.deepEqual(pod.metadata.annotations, { note: 'x' });
    assert.equal(pod.metadata.ownerReferences?.[0]?.uid, 'web-uid');
    assert.deepEqual(pod.spec, { containers: [] });
    pod.metadata.labels!.app = 'changed';
    assert.equal(rs.spec.template?.metadata?.labels?.app, 'web', 'the template is copied, not shared');
  });

  it('computes status: fully labeled, ready, available after minReadySeconds', () => {
    const rs = { ...rsOf(3), spec: { ...rsOf(3).spec, minReadySeconds: 30 } };
    const pods = [
      aPodOf('long-ready', { readySince: 0, labels: { app: 'web', tier: 'front' } }),
      aPodOf('just-ready', { readySince: 3590 }),
      aPodOf('starting'),
    ];
    const status = replicaSetStatus(rs, countPods(rs, pods, now), undefined, now);
    assert.deepEqual(status, {
      replicas: 3,
      fullyLabeledReplicas: 1,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 1,
    });
    // Counted in parts (a long walk in turns), the counts add up to the same status.
    const parts = sumCounts([countPods(rs, pods.slice(0, 1), now), countPods(rs, pods.slice(1), now)]);
    assert.deepEqual(replicaSetStatus(rs, parts, undefined, now), status);
  });

  it('adds ReplicaFailure on a failed create and removes it after a clean sync', () => {
    const failed = replicaSetStatus(rsOf(2), countPods(rsOf(2), [], now), new Error('quota exceeded'), now);
    assert.deepEqual(failed.conditions, [
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: at(3600),
        reason: 'FailedCreate',
        message: 'quota exceeded',
      },
    ]);
    const healed = replicaSetStatus({ ...rsOf(2), status: failed }, sumCounts([]), undefined, now);
    assert.equal(healed.conditions, undefined);
  });

  it('claims: keeps its own, adopts matching orphans, releases what stopped matching, ignores others', () => {
    const rs = rsOf(3);
    const mine = {
      ...aPodOf('mine'),
      metadata: { ...aPodOf('mine').metadata, ownerReferences: ownedBy('web-uid') },
    };
    const strayed = { ...aPodOf('strayed', { labels: { app: 'api' } }) };
    strayed.metadata.ownerReferences = ownedBy('web-uid');
    const orphan = aPodOf('orphan');
    const foreign = {
      ...aPodOf('foreign'),
      metadata: { ...aPodOf('foreign').metadata, ownerReferences: ownedBy('x') },
    };
    const dying = { ...aPodOf('dying'), metadata: { ...aPodOf('dying').metadata, deletionTimestamp: at(1) } };
    const plan = planClaims(rs, selectorMatcher(rs.spec.selector), [mine, strayed, orphan, foreign, dying]);
    const names = (list: { metadata: { name?: string } }[]) => list.map((p) => p.metadata.name);
    assert.deepEqual(
      [names(plan.owned), names(plan.adopt), names(plan.release)],
      [['mine'], ['orphan'], ['strayed']],
    );
    const deleting = { ...rs, metadata: { ...rs.metadata, deletionTimestamp: at(1) } };
    const frozen = planClaims(deleting, selectorMatcher(rs.spec.selector), [mine, strayed, orphan]);
    assert.deepEqual(
      [names(frozen.adopt), names(frozen.release)],
      [[], []],
      'a ReplicaSet being deleted neither adopts nor releases',
    );
    const candidates = [mine, strayed, orphan, foreign, dying];
    const inParts = mergePlans(
      [0, 2, 4].map((from) =>
        planClaims(rs, selectorMatcher(rs.spec.selector), candidates.slice(from, from + 2)),
      ),
    );
    assert.deepEqual(inParts, plan, 'plans made over parts merge into the plan over all');
  });
});

describe('expectations and slow start', () => {
  it('holds a key back until its creations and deletions have been observed', () => {
    const exp = new Expectations(systemClock);
    assert.ok(exp.satisfied('ns/web'));
    exp.expectCreations('ns/web', 2);
    exp.creationObserved('ns/web');
    assert.ok(!exp.satisfied('ns/web'));
    exp.creationObserved('ns/web');
    assert.ok(exp.satisfied('ns/web'));
    exp.expectDeletions('ns/web', ['ns/a', 'ns/b']);
    exp.deletionObserved('ns/web', 'ns/a');
    exp.deletionObserved('ns/web', 'ns/a');
    assert.ok(!exp.satisfied('ns/web'));
    exp.deletionObserved('ns/web', 'ns/b');
    assert.ok(exp.satisfied('ns/web'));
  });

  it('expires expectations that were never met', () => {
    let clock = t0;
    const exp = new Expectations({ now: () => new Date(clock) });
    exp.expectCreations('k', 1);
    clock += 5 * 60 * 1000 + 1;
    assert.ok(exp.satisfied('k'));
  });

  it('calls in batches of 1, 2, 4, ... and stops after the first failing batch', async () => {
    let calls = 0;
    const result = await slowStartBatch(20, 1, async () => {
      calls++;
      if (calls > 5) throw new Error('refused');
    });
    // batches 1, 2, 4: the third batch (calls 4..7) fails from call 6 on.
    assert.equal(calls, 7);
    assert.equal(result.succeeded, 5);
    assert.equal((result.error as Error).message, 'refused');
    assert.deepEqual(await slowStartBatch(3, 1, async () => {}), { succeeded: 3 });
  });
});
