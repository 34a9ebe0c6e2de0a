import assert from 'node:assert/strict';
import { formatIndexes, parseIndexes } from '../../../hub/controllers/job/completed-indexes.js';
import { backoffDelayMs, remainingBackoffMs } from '../../../hub/controllers/job/job-backoff.js';
import { planJob } from '../../../hub/controllers/job/job-plan.js';
import { newJobPod } from '../../../hub/controllers/job/job-pod.js';
import { finishStatus } from '../../../hub/controllers/job/job-status.js';
import type { Job, JobSpecView, JobStatusView } from '../../../hub/controllers/job/job-view.js';
import type { Pod } from '../../../hub/controllers/objects/kinds.js';

const t0 = Date.parse('2025-06-01T12:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString().replace('.000Z', 'Z');
const policy = { baseMs: 10_000, maxMs: 360_000 };

const job = (spec: JobSpecView = {}, status: JobStatusView = {}): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'work', namespace: 'default', uid: 'job-uid' },
  spec: {
    parallelism: 1,
    completions: 1,
    backoffLimit: 6,
    template: { spec: { containers: [{ name: 'c' }] } },
    ...spec,
  },
  status: { startTime: iso(0), ...status },
});

let serial = 0;
const pod = (phase: string, finishedAt?: number, extra: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name: `work-${++serial}`, uid: `uid-${serial}`, creationTimestamp: iso(0), ...extra },
  status: {
    phase,
    ...(finishedAt !== undefined
      ? { containerStatuses: [{ state: { terminated: { finishedAt: iso(finishedAt) } } }] }
      : {}),
  },
});

describe('Job back-off', () => {
  it('doubles from the base per failure and stops at the cap', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 6, 7, 20].map((n) => backoffDelayMs(n, policy)),
      [0, 10_000, 20_000, 40_000, 320_000, 360_000, 360_000],
    );
  });

  it('waits from the last failure since the last success', () => {
    const failures = [pod('Failed', 10), pod('Failed', 30)];
    assert.equal(remainingBackoffMs(failures, policy, at(35)), 15_000);
    assert.equal(remainingBackoffMs(failures, policy, at(60)), 0);
    // A success in between resets the count: one failure since, 10s from it.
    const reset = [pod('Failed', 10), pod('Succeeded', 20), pod('Failed', 30)];
    assert.equal(remainingBackoffMs(reset, policy, at(35)), 5_000);
  });

  it('counts a pod deleted before it succeeded as a failure', () => {
    const deleted = pod('Running', undefined, { deletionTimestamp: iso(50) });
    assert.equal(remainingBackoffMs([deleted], policy, at(55)), 5_000);
  });
});

describe('Job planning', () => {
  it('runs min(parallelism, remaining completions) pods', () => {
    assert.equal(planJob(job({ parallelism: 3, completions: 5 }), [], at(1), policy).create.length, 3);
    const two = job({ parallelism: 3, completions: 5 }, { succeeded: 3 });
    assert.equal(planJob(two, [pod('Running')], at(1), policy).create.length, 1);
  });

  it('deletes surplus pods, not-ready ones first', () => {
    const ready = {
      ...pod('Running'),
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const pending = pod('Pending');
    const plan = planJob(job({ parallelism: 1, completions: 3 }), [ready, pending], at(1), policy);
    assert.deepEqual(plan.deletePods, [pending.metadata.name]);
  });

  it('starts nothing new for a work queue once a pod succeeded', () => {
    const queueJob = job({ parallelism: 3, completions: null }, { succeeded: 1 });
    const plan = planJob(queueJob, [pod('Running')], at(1), policy);
    assert.deepEqual([plan.create.length, plan.deletePods.length], [0, 0]);
  });

  it('holds new pods back during the back-off and says when to look again', () => {
    const plan = planJob(job({}, { failed: 2 }), [pod('Failed', 0), pod('Failed', 5)], at(10), policy);
    assert.deepEqual(plan.create, []);
    assert.equal(plan.wakeAfterMs, 15_000);
  });

  it('sets FailureTarget once failures exceed backoffLimit, and stops the active pods', () => {
    const running = pod('Running');
    const plan = planJob(
      job({ backoffLimit: 1, parallelism: 2, completions: 2 }, { failed: 2 }),
      [running],
      at(1),
      policy,
    );
    assert.deepEqual(
      plan.status.conditions?.map((c) => [c.type, c.reason]),
      [['FailureTarget', 'BackoffLimitExceeded']],
    );
    assert.deepEqual(plan.deletePods, [running.metadata.name]);
    assert.deepEqual(plan.create, []);
  });

  it('fails on activeDeadlineSeconds counted from startTime, and wakes at the deadline', () => {
    const spec = { activeDeadlineSeconds: 60 };
    assert.equal(planJob(job(spec), [pod('Running')], at(20), policy).wakeAfterMs, 40_000);
    const late = planJob(job(spec), [pod('Running')], at(60), policy);
    assert.equal(late.status.conditions?.[0]?.reason, 'DeadlineExceeded');
  });

  it('meets its success criteria at the completions count', () => {
    const plan = planJob(job({ completions: 2 }, { succeeded: 2 }), [], at(1), policy);
    assert.deepEqual(
      plan.status.conditions?.map((c) => [c.type, c.reason]),
      [['SuccessCriteriaMet', 'CompletionsReached']],
    );
  });

  it('suspends by deleting active pods and restarts the deadline clock on resume', () => {
    const running = pod('Running');
    const suspended = planJob(job({ suspend: true }), [running], at(5), policy);
    assert.deepEqual(suspended.deletePods, [running.metadata.name]);
    assert.equal(suspended.status.conditions?.[0]?.reason, 'JobSuspended');
    const resumed = planJob(job({}, { conditions: suspended.status.conditions }), [], at(100), policy);
    assert.equal(resumed.status.conditions?.[0]?.status, 'False');
    assert.equal(resumed.status.startTime, iso(100));
    assert.equal(resumed.create.length, 1);
  });

  it('creates the lowest missing indexes of an Indexed job', () => {
    const running = pod('Running', undefined, {
      annotations: { 'batch.kubernetes.io/job-completion-index': '1' },
    });
    const indexed = job(
      { completionMode: 'Indexed', completions: 5, parallelism: 3 },
      { completedIndexes: '0,2' },
    );
    assert.deepEqual(planJob(indexed, [running], at(1), policy).create, [3, 4]);
  });

  it('turns the target into Complete only once no pod is left running or uncounted', () => {
    const planned: JobStatusView = {
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'm' },
      ],
    };
    assert.equal(finishStatus(planned, [pod('Running')], at(9)).conditions?.length, 1);
    const held = pod('Succeeded', 1, { finalizers: ['batch.kubernetes.io/job-tracking'] });
    assert.equal(finishStatus(planned, [held], at(9)).conditions?.length, 1);
    const done = finishStatus(planned, [pod('Succeeded', 1)], at(9));
    assert.deepEqual(
      done.conditions?.map((c) => c.type),
      ['SuccessCriteriaMet', 'Complete'],
    );
    assert.equal(done.completionTime, iso(9));
    assert.deepEqual([done.active, done.ready, done.terminating], [0, 0, 0]);
  });
});

describe('Job pods and indexes', () => {
  it('labels an Indexed pod with its index and hands it JOB_COMPLETION_INDEX', () => {
    const pod = newJobPod(job({ completionMode: 'Indexed', completions: 3 }), 2) as any;
    assert.equal(pod.metadata.generateName, 'work-2-');
    assert.equal(pod.metadata.annotations['batch.kubernetes.io/job-completion-index'], '2');
    assert.equal(pod.spec.hostname, 'work-2');
    assert.equal(pod.spec.containers[0].env[0].name, 'JOB_COMPLETION_INDEX');
    assert.deepEqual(pod.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
  });

  it('writes completed indexes compactly and reads them back', () => {
    assert.equal(formatIndexes([7, 1, 3, 4, 5]), '1,3-5,7');
    assert.equal(formatIndexes([0, 1]), '0,1');
    assert.deepEqual(parseIndexes('1,3-5,7'), [1, 3, 4, 5, 7]);
    assert.deepEqual(parseIndexes(undefined), []);
  });
});
