import assert from 'node:assert/strict';
import {
  isSaturated,
  isScalingEvent,
  planScale,
} from '../../../hub/controllers/deployment/deployment-scale.js';
import { replicasAnnotations } from '../../../hub/controllers/deployment/revision-history.js';
import { aDeploymentOf, aReplicaSetOf } from './workload-builders.js';

const sized = (desired: number, max: number) => ({ annotations: replicasAnnotations(desired, max) });
const plan = (steps: ReturnType<typeof planScale>) => steps.map((s) => [s.rs.metadata.name, s.replicas]);

describe('scaling a Deployment', () => {
  it('gives the whole new size to the only active ReplicaSet', () => {
    const d = aDeploymentOf(5);
    const fresh = aReplicaSetOf('new', 3, { created: 10, ...sized(3, 4) });
    assert.deepEqual(plan(planScale(d, fresh, [aReplicaSetOf('old', 0)])), [['new', 5]]);
  });

  it('scales the newest ReplicaSet when none is active', () => {
    const d = aDeploymentOf(2);
    const older = aReplicaSetOf('older', 0, { created: 0 });
    const newer = aReplicaSetOf('newer', 0, { created: 10 });
    assert.deepEqual(plan(planScale(d, undefined, [older, newer])), [['newer', 2]]);
    assert.deepEqual(plan(planScale(d, aReplicaSetOf('new', 0, { created: 20 }), [older])), [['new', 2]]);
  });

  it('spreads a scale-up over active ReplicaSets in proportion to their size', () => {
    // 10 replicas, surge 3, mid-rollout at old 8 + new 5; scaled to 20 with surge 5: 12 more.
    const d = aDeploymentOf(20, { maxSurge: 5, maxUnavailable: 2 });
    const old = aReplicaSetOf('old', 8, { created: 0, ...sized(10, 13) });
    const fresh = aReplicaSetOf('new', 5, { created: 10, available: 0, ...sized(10, 13) });
    assert.deepEqual(plan(planScale(d, fresh, [old])).sort(), [
      ['new', 10],
      ['old', 15],
    ]);
  });

  it('spreads a scale-down too, the leftover going to the largest ReplicaSet', () => {
    // 20 → 10 with surge 3: allowed 13, from old 15 + new 10 = 25, i.e. 12 fewer.
    const d = aDeploymentOf(10, { maxSurge: 3, maxUnavailable: 2 });
    const old = aReplicaSetOf('old', 15, { created: 0, ...sized(20, 25) });
    const fresh = aReplicaSetOf('new', 10, { created: 10, available: 0, ...sized(20, 25) });
    const steps = plan(planScale(d, fresh, [old]));
    assert.deepEqual(steps.sort(), [
      ['new', 5],
      ['old', 8],
    ]);
  });

  it('scales old ReplicaSets to zero once the new one is saturated', () => {
    const d = aDeploymentOf(3);
    const fresh = aReplicaSetOf('new', 3, { created: 10, ...sized(3, 4) });
    assert.ok(isSaturated(d, fresh));
    assert.deepEqual(plan(planScale(d, fresh, [aReplicaSetOf('old', 1)])), [['old', 0]]);
  });

  it('leaves a Recreate Deployment with two active ReplicaSets to its rollout', () => {
    const d = aDeploymentOf(3, 'Recreate');
    const fresh = aReplicaSetOf('new', 1, { created: 10, available: 0, ...sized(2, 2) });
    assert.deepEqual(planScale(d, fresh, [aReplicaSetOf('old', 1)]), []);
  });

  it('is a scaling event when an active ReplicaSet was sized for another replica count', () => {
    const d = aDeploymentOf(4);
    assert.ok(isScalingEvent(d, [aReplicaSetOf('a', 3, sized(3, 4))]));
    assert.ok(!isScalingEvent(d, [aReplicaSetOf('a', 4, sized(4, 5))]));
    assert.ok(!isScalingEvent(d, [aReplicaSetOf('a', 0, sized(3, 4))]), 'inactive ones do not count');
    assert.ok(!isScalingEvent(d, [aReplicaSetOf('a', 3)]), 'nor ones without the annotation');
  });
});
