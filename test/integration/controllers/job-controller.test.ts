import assert from 'node:assert/strict';
import { JobController } from '../../../hub/controllers/job/job-controller.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import {
  type Harness,
  listItems,
  modify,
  setPodStatus,
  startControllers,
  until,
} from './controller-harness.js';

const jobsPath = '/apis/batch/v1/namespaces/default/jobs';

const job = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: {
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1' }] } },
    ...spec,
  },
});

describe('Job controller (real hub)', () => {
  let t: TestHub;
  let h: Harness;
  before(async () => {
    t = await startTestHub();
    h = startControllers(t, [(ctx) => new JobController(ctx, { backoff: { baseMs: 20, maxMs: 100 } })]);
  });
  after(async () => {
    h.stop();
    await t.close();
  });

  const podsOf = async (name: string) =>
    listItems(t, `/api/v1/namespaces/default/pods?labelSelector=batch.kubernetes.io/job-name=${name}`);
  const running = async (name: string) =>
    (await podsOf(name)).filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase));
  const statusOf = async (name: string) => (await t.api.get(`${jobsPath}/${name}`)).json().status ?? {};
  const conditionTypes = async (name: string) =>
    ((await statusOf(name)).conditions ?? []).map((c: any) => c.type);

  it('runs pods in parallel until the completions are reached, then completes', async () => {
    assert.equal((await t.api.post(jobsPath, job('batch', { completions: 4, parallelism: 2 }))).status, 201);
    for (let round = 0; round < 2; round++) {
      await until(async () => assert.equal((await running('batch')).length, 2));
      const pods = await running('batch');
      assert.ok(pods.every((p) => p.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking')));
      // The controller's status write may follow the pods it created.
      await until(async () => assert.equal((await statusOf('batch')).active, 2));
      for (const pod of pods) await setPodStatus(t, 'default', pod.metadata.name, 'Succeeded', false);
    }
    await until(async () =>
      assert.deepEqual(await conditionTypes('batch'), ['SuccessCriteriaMet', 'Complete']),
    );
    const status = await statusOf('batch');
    assert.equal(status.succeeded, 4);
    assert.equal(status.active, 0);
    assert.ok(status.completionTime);
    assert.equal(status.conditions[1].reason, 'CompletionsReached');
    assert.equal((await podsOf('batch')).filter((p) => p.metadata.finalizers).length, 0);
  });

  it('retries failed pods with back-off and fails past backoffLimit', async () => {
    await t.api.post(jobsPath, job('flaky', { backoffLimit: 1 }));
    for (let attempt = 1; attempt <= 2; attempt++) {
      await until(async () => assert.equal((await running('flaky')).length, 1));
      await setPodStatus(t, 'default', (await running('flaky'))[0].metadata.name, 'Failed', false);
      await until(async () => assert.equal((await statusOf('flaky')).failed, attempt));
    }
    await until(async () => assert.deepEqual(await conditionTypes('flaky'), ['FailureTarget', 'Failed']));
    const status = await statusOf('flaky');
    assert.equal(status.conditions[1].reason, 'BackoffLimitExceeded');
    assert.equal(status.completionTime, undefined);
    assert.equal((await podsOf('flaky')).length, 2);
  });

  it('fails a job that runs past activeDeadlineSeconds and stops its pods', async () => {
    await t.api.post(jobsPath, job('slow', { activeDeadlineSeconds: 1, parallelism: 2, completions: 2 }));
    await until(async () => assert.equal((await running('slow')).length, 2));
    await until(async () => assert.deepEqual(await conditionTypes('slow'), ['FailureTarget', 'Failed']), {
      timeoutMs: 5000,
    });
    const status = await statusOf('slow');
    assert.equal(status.conditions[1].reason, 'DeadlineExceeded');
    assert.equal(status.failed, 2);
    assert.equal((await podsOf('slow')).length, 0);
  });

  it('deletes a finished job after ttlSecondsAfterFinished', async () => {
    await t.api.post(jobsPath, job('short-lived', { ttlSecondsAfterFinished: 1 }));
    await until(async () => assert.equal((await running('short-lived')).length, 1));
    await setPodStatus(t, 'default', (await running('short-lived'))[0].metadata.name, 'Succeeded', false);
    await until(async () => assert.ok((await conditionTypes('short-lived')).includes('Complete')));
    await until(async () => assert.equal((await t.api.get(`${jobsPath}/short-lived`)).status, 404), {
      timeoutMs: 5000,
    });
  });

  it('starts nothing while suspended and resumes on unsuspend', async () => {
    await t.api.post(jobsPath, job('paused', { suspend: true }));
    await until(async () => assert.deepEqual(await conditionTypes('paused'), ['Suspended']));
    assert.equal((await podsOf('paused')).length, 0);
    assert.equal((await statusOf('paused')).startTime, undefined);
    await modify(t, `${jobsPath}/paused`, (j) => {
      j.spec.suspend = false;
    });
    await until(async () => assert.equal((await running('paused')).length, 1));
    // The pod can be seen before the status write that records the resume.
    await until(async () => {
      const status = await statusOf('paused');
      assert.equal(status.conditions[0].status, 'False');
      assert.equal(status.conditions[0].reason, 'JobResumed');
      assert.ok(status.startTime);
    });
  });

  it('gives each pod of an Indexed job its own completion index', async () => {
    await t.api.post(jobsPath, job('indexed', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    await until(async () => assert.equal((await running('indexed')).length, 3));
    const pods = await running('indexed');
    const indexes = pods
      .map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index'])
      .sort();
    assert.deepEqual(indexes, ['0', '1', '2']);
    assert.ok(
      pods.every(
        (p) => p.spec.hostname === `indexed-${p.metadata.labels['batch.kubernetes.io/job-completion-index']}`,
      ),
    );
    for (const pod of pods) await setPodStatus(t, 'default', pod.metadata.name, 'Succeeded', false);
    await until(async () => assert.ok((await conditionTypes('indexed')).includes('Complete')));
    assert.equal((await statusOf('indexed')).completedIndexes, '0-2');
  });
});
