import assert from 'node:assert/strict';
import {
  maxSurge,
  maxUnavailable,
  newReplicaSetReplicas,
  oldReplicaSetsScaleDown,
  resolveFenceposts,
} from '../../../hub/controllers/deployment/deployment-rollout.js';
import { scaledValue } from '../../../hub/controllers/objects/int-or-percent.js';
import { aDeploymentOf, aReplicaSetOf } from './workload-builders.js';

describe('rolling update step math', () => {
  describe('fenceposts', () => {
    const table: [number | string, number | string, number, number, number][] = [
      // maxSurge, maxUnavailable, replicas → surge, unavailable
      ['25%', '25%', 10, 3, 2],
      ['25%', '25%', 4, 1, 1],
      ['25%', '25%', 1, 1, 0],
      ['25%', '25%', 3, 1, 0],
      ['50%', '50%', 5, 3, 2],
      ['100%', 0, 7, 7, 0],
      [0, '10%', 5, 0, 1], // both round to zero: one may be unavailable
      [0, '100%', 5, 0, 5],
      [2, 1, 10, 2, 1],
      ['1%', '99%', 100, 1, 99],
    ];
    for (const [surgeIn, unavailableIn, replicas, surge, unavailable] of table) {
      it(`maxSurge ${surgeIn} / maxUnavailable ${unavailableIn} of ${replicas} resolve to ${surge} / ${unavailable}`, () => {
        assert.deepEqual(resolveFenceposts(surgeIn, unavailableIn, replicas), { surge, unavailable });
      });
    }

    it('rounds percentages of maxSurge up and of maxUnavailable down', () => {
      assert.equal(scaledValue('33%', 10, true), 4);
      assert.equal(scaledValue('33%', 10, false), 3);
      assert.equal(scaledValue(4, 10, false), 4);
      assert.equal(scaledValue(undefined, 10, true), 0);
    });

    it('caps maxUnavailable at the replica count and gives Recreate no surge', () => {
      assert.equal(maxUnavailable(aDeploymentOf(2, { maxSurge: 1, maxUnavailable: 5 })), 2);
      assert.equal(maxUnavailable(aDeploymentOf(0, { maxSurge: 1, maxUnavailable: 1 })), 0);
      assert.equal(maxSurge(aDeploymentOf(4, 'Recreate')), 0);
      assert.equal(maxUnavailable(aDeploymentOf(4, 'Recreate')), 0);
      assert.equal(maxSurge(aDeploymentOf(4)), 1, 'defaults are 25% and 25%');
    });
  });

  describe('how far the new ReplicaSet grows', () => {
    const table: [string, number, number, number, number, number][] = [
      // case, replicas, surge, old size, new size → next new size
      ['fresh rollout takes the whole surge', 10, 3, 10, 0, 3],
      ['no room at replicas + surge', 10, 3, 10, 3, 3],
      ['room left by old scale-down', 10, 3, 8, 3, 5],
      ['never above replicas', 4, 4, 1, 3, 4],
      ['surge 0 waits for scale-down', 4, 0, 4, 0, 0],
      ['surge 0 after old shrank', 4, 0, 2, 0, 2],
    ];
    for (const [name, replicas, surge, oldSize, newSize, next] of table) {
      it(name, () => {
        const d = aDeploymentOf(replicas, { maxSurge: surge, maxUnavailable: 1 });
        const old = aReplicaSetOf('old', oldSize, { created: 0 });
        const fresh = aReplicaSetOf('new', newSize, { created: 10 });
        assert.equal(newReplicaSetReplicas(d, [old, fresh], fresh), next);
      });
    }

    it('counts pods an old ReplicaSet still has beyond its spec, so surge bounds real pods', () => {
      const d = aDeploymentOf(4, { maxSurge: 1, maxUnavailable: 1 });
      const old = aReplicaSetOf('old', 3, { statusReplicas: 4 });
      const fresh = aReplicaSetOf('new', 1, { created: 10 });
      assert.equal(newReplicaSetReplicas(d, [old, fresh], fresh), 1);
    });

    it('Recreate takes all replicas at once', () => {
      const fresh = aReplicaSetOf('new', 0);
      assert.equal(newReplicaSetReplicas(aDeploymentOf(5, 'Recreate'), [fresh], fresh), 5);
    });
  });

  describe('how far old ReplicaSets shrink', () => {
    const sizes = (steps: ReturnType<typeof oldReplicaSetsScaleDown>) =>
      steps.map((s) => [s.rs.metadata.name, s.replicas]);

    it('keeps replicas - maxUnavailable available while new pods are not ready', () => {
      const d = aDeploymentOf(10, { maxSurge: 3, maxUnavailable: 2 });
      const fresh = aReplicaSetOf('new', 3, { available: 0, created: 10 });
      assert.deepEqual(sizes(oldReplicaSetsScaleDown(d, fresh, [aReplicaSetOf('old', 10)])), [['old', 8]]);
    });

    it('does not shrink while the new ReplicaSet has unavailable pods eating the budget', () => {
      const d = aDeploymentOf(10, { maxSurge: 3, maxUnavailable: 2 });
      const fresh = aReplicaSetOf('new', 5, { available: 0, created: 10 });
      assert.deepEqual(sizes(oldReplicaSetsScaleDown(d, fresh, [aReplicaSetOf('old', 8)])), []);
    });

    it('shrinks by as many as the new ReplicaSet made available', () => {
      const d = aDeploymentOf(10, { maxSurge: 3, maxUnavailable: 2 });
      const fresh = aReplicaSetOf('new', 5, { available: 3, created: 10 });
      assert.deepEqual(sizes(oldReplicaSetsScaleDown(d, fresh, [aReplicaSetOf('old', 8)])), [['old', 5]]);
    });

    it('removes unavailable old pods first, oldest ReplicaSet first, without touching availability', () => {
      const d = aDeploymentOf(4, { maxSurge: 1, maxUnavailable: 0 });
      const fresh = aReplicaSetOf('new', 1, { available: 0, created: 20 });
      const older = aReplicaSetOf('older', 2, { available: 1, created: 0 });
      const newer = aReplicaSetOf('newer', 2, { available: 2, created: 10 });
      // Budget: 5 - 4 - 1 = 0 would block everything, so make it 1 by one more new available.
      assert.deepEqual(sizes(oldReplicaSetsScaleDown(d, fresh, [older, newer])), []);
      const ready = aReplicaSetOf('new', 1, { available: 1, created: 20 });
      assert.deepEqual(sizes(oldReplicaSetsScaleDown(d, ready, [older, newer])), [['older', 1]]);
    });

    it('never counts more available pods than a ReplicaSet is still meant to run', () => {
      const d = aDeploymentOf(4, { maxSurge: 1, maxUnavailable: 1 });
      const fresh = aReplicaSetOf('new', 2, { available: 1, created: 10 });
      // spec already 3, status still reports the 4 available it had before its last scale-down
      const old = aReplicaSetOf('old', 3, { available: 4, statusReplicas: 4 });
      assert.deepEqual(sizes(oldReplicaSetsScaleDown(d, fresh, [old])), [['old', 2]]);
    });

    it('has nothing to do without old replicas', () => {
      const d = aDeploymentOf(4);
      assert.deepEqual(oldReplicaSetsScaleDown(d, aReplicaSetOf('new', 4), [aReplicaSetOf('old', 0)]), []);
    });
  });
});
