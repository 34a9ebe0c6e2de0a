import assert from 'node:assert/strict';
import {
  maxRevision,
  newReplicaSetAnnotations,
  replicaSetsToCleanUp,
  revisionOf,
} from '../../../hub/controllers/deployment/revision-history.js';
import { aReplicaSetOf } from './workload-builders.js';

const revision = 'deployment.kubernetes.io/revision';
const history = 'deployment.kubernetes.io/revision-history';

describe('revision bookkeeping', () => {
  it('reads revisions, treating missing or garbled ones as 0', () => {
    assert.equal(revisionOf(aReplicaSetOf('a', 1, { revision: 7 })), 7);
    assert.equal(revisionOf(aReplicaSetOf('a', 1)), 0);
    assert.equal(revisionOf(aReplicaSetOf('a', 1, { annotations: { [revision]: 'x' } })), 0);
    assert.equal(
      maxRevision([aReplicaSetOf('a', 1, { revision: 2 }), aReplicaSetOf('b', 1, { revision: 5 })]),
      5,
    );
    assert.equal(maxRevision([]), 0);
  });

  it('gives a new ReplicaSet the revision, the replica annotations and the Deployment annotations worth copying', () => {
    const fromDeployment = {
      'kubernetes.io/change-cause': 'kubectl set image',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      [revision]: '4',
      team: 'edge',
    };
    assert.deepEqual(newReplicaSetAnnotations(fromDeployment, undefined, 5, { desired: 3, max: 4 }), {
      'kubernetes.io/change-cause': 'kubectl set image',
      team: 'edge',
      [revision]: '5',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  it('records the old revision in revision-history when an old ReplicaSet becomes the new one (undo)', () => {
    const once = newReplicaSetAnnotations({}, { [revision]: '1' }, 3);
    assert.equal(once[revision], '3');
    assert.equal(once[history], '1');
    const twice = newReplicaSetAnnotations({}, once, 5);
    assert.equal(twice[revision], '5');
    assert.equal(twice[history], '1,3');
  });

  it('never lowers a revision', () => {
    const kept = newReplicaSetAnnotations({}, { [revision]: '6' }, 4);
    assert.equal(kept[revision], '6');
    assert.equal(kept[history], undefined);
  });

  it('caps revision-history at 2000 characters, dropping the oldest', () => {
    const long = Array.from({ length: 500 }, (_, i) => String(1000 + i)).join(',');
    const next = newReplicaSetAnnotations({}, { [revision]: '9999', [history]: long }, 10000);
    assert.ok(next[history]!.length <= 2000);
    assert.ok(next[history]!.endsWith(',9999'));
    assert.ok(!next[history]!.startsWith('1000,'));
  });

  describe('revisionHistoryLimit', () => {
    const old = (name: string, rev: number, replicas = 0) =>
      aReplicaSetOf(name, replicas, { revision: rev, created: rev });

    it('deletes the oldest revisions beyond the limit', () => {
      const rss = [old('r3', 3), old('r1', 1), old('r2', 2)];
      assert.deepEqual(
        replicaSetsToCleanUp(rss, 1).map((r) => r.metadata.name),
        ['r1', 'r2'],
      );
      assert.deepEqual(replicaSetsToCleanUp(rss, 3), []);
      assert.deepEqual(replicaSetsToCleanUp(rss, 0).length, 3);
    });

    it('spares ReplicaSets that still have replicas, pods, an unobserved spec, or are being deleted', () => {
      const scaled = old('scaled', 1, 1);
      const withPods = old('pods', 2);
      withPods.status!.replicas = 1;
      const unobserved = old('unobserved', 3);
      unobserved.metadata.generation = 2;
      const deleting = old('deleting', 4);
      deleting.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
      const rss = [scaled, withPods, unobserved, deleting, old('r5', 5)];
      assert.deepEqual(
        replicaSetsToCleanUp(rss, 0).map((r) => r.metadata.name),
        ['r5'],
      );
    });
  });
});
