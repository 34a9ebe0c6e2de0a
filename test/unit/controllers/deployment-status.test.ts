import assert from 'node:assert/strict';
import {
  calculateStatus,
  deadlineRecheckMs,
  pausedConditions,
  rolloutStatus,
} from '../../../hub/controllers/deployment/deployment-status.js';
import { findCondition } from '../../../hub/controllers/objects/conditions.js';
import type { Condition, DeploymentStatus } from '../../../hub/controllers/objects/kinds.js';
import { aDeploymentOf, aReplicaSetOf, at, t0 } from './workload-builders.js';

const progressing = (reason: string, status: Condition['status'], since: number): Condition => ({
  type: 'Progressing',
  status,
  reason,
  message: '',
  lastUpdateTime: at(since),
  lastTransitionTime: at(since),
});
const now = (seconds: number) => new Date(t0 + seconds * 1000);

describe('Deployment status', () => {
  it('sums the ReplicaSets: updated counts the new one only, unavailable counts specs', () => {
    const d = aDeploymentOf(4, { maxSurge: 1, maxUnavailable: 1 });
    const old = aReplicaSetOf('old', 3, { available: 3 });
    const fresh = aReplicaSetOf('new', 2, { available: 0, statusReplicas: 1 });
    const status = calculateStatus(d, {}, [old, fresh], fresh, now(0));
    assert.deepEqual(
      [
        status.replicas,
        status.updatedReplicas,
        status.readyReplicas,
        status.availableReplicas,
        status.unavailableReplicas,
      ],
      [4, 1, 3, 3, 2],
    );
    assert.equal(status.observedGeneration, 1);
    assert.equal(findCondition(status.conditions, 'Available')?.reason, 'MinimumReplicasAvailable');
  });

  it('is Available=False below replicas - maxUnavailable', () => {
    const d = aDeploymentOf(4, { maxSurge: 1, maxUnavailable: 1 });
    const status = calculateStatus(d, {}, [aReplicaSetOf('rs', 4, { available: 2 })], undefined, now(0));
    const available = findCondition(status.conditions, 'Available');
    assert.equal(available?.status, 'False');
    assert.equal(available?.reason, 'MinimumReplicasUnavailable');
  });

  describe('Progressing', () => {
    const d = aDeploymentOf(2);
    const rolling = (
      status: DeploymentStatus,
      rss = [aReplicaSetOf('new', 2, { available: 1, statusReplicas: 2 })],
    ) => {
      const withStatus = { ...d, status };
      return rolloutStatus(withStatus, structuredClone(status), rss, rss[0], now(100));
    };

    it('records progress with ReplicaSetUpdated, keeping the transition time', () => {
      const before = {
        replicas: 2,
        updatedReplicas: 2,
        availableReplicas: 0,
        conditions: [progressing('NewReplicaSetCreated', 'True', 10)],
      };
      const moving = findCondition(rolling(before).conditions, 'Progressing')!;
      assert.equal(moving.reason, 'ReplicaSetUpdated');
      assert.equal(moving.message, 'ReplicaSet "new" is progressing.');
      assert.equal(moving.lastTransitionTime, at(10));
      assert.equal(moving.lastUpdateTime, at(100));
    });

    it('says NewReplicaSetAvailable once every replica is updated and available', () => {
      const done = rolling({ conditions: [progressing('ReplicaSetUpdated', 'True', 90)] }, [
        aReplicaSetOf('new', 2),
      ]);
      const condition = findCondition(done.conditions, 'Progressing')!;
      assert.equal(condition.reason, 'NewReplicaSetAvailable');
      assert.equal(condition.message, 'ReplicaSet "new" has successfully progressed.');
    });

    it('times out with ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds', () => {
      const stuck = { replicas: 2, updatedReplicas: 2, availableReplicas: 1, readyReplicas: 1 };
      const early = rolling({ ...stuck, conditions: [progressing('ReplicaSetUpdated', 'True', 0)] });
      assert.equal(findCondition(early.conditions, 'Progressing')?.reason, 'ReplicaSetUpdated');
      const late = rolloutStatus(
        { ...d, spec: { ...d.spec, progressDeadlineSeconds: 60 }, status: stuck },
        { ...stuck, conditions: [progressing('ReplicaSetUpdated', 'True', 0)] },
        [aReplicaSetOf('new', 2, { available: 1 })],
        undefined,
        now(61),
      );
      const timedOut = findCondition(late.conditions, 'Progressing')!;
      assert.deepEqual([timedOut.status, timedOut.reason], ['False', 'ProgressDeadlineExceeded']);
      assert.equal(timedOut.message, 'Deployment "web" has timed out progressing.');
    });

    it('rechecks the deadline when it is due, and not for a finished rollout', () => {
      const d60 = { ...d, spec: { ...d.spec, progressDeadlineSeconds: 60 } };
      const waiting = {
        updatedReplicas: 1,
        replicas: 2,
        conditions: [progressing('ReplicaSetUpdated', 'True', 0)],
      };
      assert.equal(deadlineRecheckMs(d60, waiting, now(20)), 41_000);
      const finished = {
        updatedReplicas: 2,
        replicas: 2,
        availableReplicas: 2,
        observedGeneration: 1,
        conditions: waiting.conditions,
      };
      assert.equal(deadlineRecheckMs(d60, finished, now(20)), undefined);
    });

    it('copies a ReplicaSet failure up, the new ReplicaSet first', () => {
      const failing = aReplicaSetOf('new', 2, { available: 0 });
      failing.status!.conditions = [
        {
          type: 'ReplicaFailure',
          status: 'True',
          reason: 'FailedCreate',
          message: 'quota',
          lastTransitionTime: at(5),
        },
      ];
      const status = rolling({}, [failing]);
      assert.equal(findCondition(status.conditions, 'ReplicaFailure')?.message, 'quota');
    });
  });

  it('records a pause and a resume as Progressing=Unknown, but never over a timeout', () => {
    const paused = { ...aDeploymentOf(2), spec: { ...aDeploymentOf(2).spec, paused: true } };
    const pausedConds = pausedConditions(paused, {}, now(0))!;
    assert.equal(findCondition(pausedConds, 'Progressing')?.reason, 'DeploymentPaused');
    assert.equal(pausedConditions(paused, { conditions: pausedConds }, now(1)), undefined);
    const resumed = pausedConditions(aDeploymentOf(2), { conditions: pausedConds }, now(2))!;
    assert.deepEqual(
      [findCondition(resumed, 'Progressing')?.status, findCondition(resumed, 'Progressing')?.reason],
      ['Unknown', 'DeploymentResumed'],
    );
    const timedOut = { conditions: [progressing('ProgressDeadlineExceeded', 'False', 0)] };
    assert.equal(pausedConditions(paused, timedOut, now(3)), undefined);
  });
});
