import assert from 'node:assert/strict';
import type { CronTrigger } from '../../../hub/controllers/cronjob/cron-trigger.js';
import { CronJobController } from '../../../hub/controllers/cronjob/cronjob-controller.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { FakeClock, type Harness, listItems, modify, startControllers, until } from './controller-harness.js';

const cronPath = '/apis/batch/v1/namespaces/default/cronjobs';
const jobsPath = '/apis/batch/v1/namespaces/default/jobs';
const hourMs = 3_600_000;

/** Stands in for node-cron: the test fires it after moving the clock. */
class ManualTrigger implements CronTrigger {
  readonly keys = new Set<string>();
  constructor(private readonly wake: (key: string) => void) {}
  set(key: string): void {
    this.keys.add(key);
  }
  remove(key: string): void {
    this.keys.delete(key);
  }
  stop(): void {}
  fire(): void {
    for (const key of this.keys) this.wake(key);
  }
}

const cronJob = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name },
  spec: {
    schedule: '0 * * * *',
    timeZone: 'Etc/UTC',
    jobTemplate: {
      metadata: { labels: { cron: name } },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1' }] } },
      },
    },
    ...spec,
  },
});

describe('CronJob controller (real hub, fake clock)', () => {
  let t: TestHub;
  let h: Harness;
  let clock: FakeClock;
  let trigger: ManualTrigger;

  const startController = () => {
    h = startControllers(
      t,
      [
        (ctx) =>
          new CronJobController(ctx, {
            trigger: (wake) => {
              trigger = new ManualTrigger(wake);
              return trigger;
            },
          }),
      ],
      clock,
    );
  };
  before(async () => {
    t = await startTestHub();
    clock = new FakeClock(new Date());
    startController();
  });
  after(async () => {
    h.stop();
    await t.close();
  });

  const jobsOf = async (name: string) =>
    (await listItems(t, `${jobsPath}?labelSelector=cron=${name}`)).filter(
      (j) => !j.metadata.deletionTimestamp,
    );
  const jobNames = async (name: string) => (await jobsOf(name)).map((j) => j.metadata.name).sort();
  /** Creates the CronJob and puts the clock `offsetMs` past its first schedule time. */
  const create = async (name: string, spec: Record<string, unknown> = {}) => {
    clock.set(new Date());
    const created = (await t.api.post(cronPath, cronJob(name, spec))).json();
    const firstRun = Math.ceil((Date.parse(created.metadata.creationTimestamp) + 1) / hourMs) * hourMs;
    return firstRun;
  };
  const tick = (at: number) => {
    clock.set(new Date(at));
    trigger.fire();
  };
  const finish = async (jobName: string, type: 'Complete' | 'Failed', at: number) => {
    const time = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await modify(t, `${jobsPath}/${jobName}`, (job) => {
      job.status = {
        startTime: time,
        ...(type === 'Complete' ? { completionTime: time } : {}),
        conditions: [{ type, status: 'True', lastTransitionTime: time }],
      };
    });
  };

  it('starts one Job per schedule time, named after the minute, and lists the running ones', async () => {
    const first = await create('hourly');
    tick(first - 1000);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await jobNames('hourly'), []);
    tick(first + 5000);
    const name = `hourly-${first / 60_000}`;
    await until(async () => assert.deepEqual(await jobNames('hourly'), [name]));
    const [job] = await jobsOf('hourly');
    assert.equal(
      job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'],
      new Date(first).toISOString().replace('.000Z', 'Z'),
    );
    assert.equal(job.metadata.ownerReferences[0].kind, 'CronJob');
    tick(first + hourMs + 5000);
    await until(async () => assert.equal((await jobNames('hourly')).length, 2));
    await until(async () => {
      const status = (await t.api.get(`${cronPath}/hourly`)).json().status;
      assert.equal(status.active.length, 2);
      assert.equal(status.lastScheduleTime, new Date(first + hourMs).toISOString().replace('.000Z', 'Z'));
    });
  });

  it('Forbid skips a time while the last Job runs and starts it late once that Job ends', async () => {
    const first = await create('forbid', { concurrencyPolicy: 'Forbid' });
    tick(first + 1000);
    await until(async () => assert.equal((await jobNames('forbid')).length, 1));
    tick(first + hourMs + 1000);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await jobNames('forbid')).length, 1);
    await finish(`forbid-${first / 60_000}`, 'Complete', first + hourMs + 2000);
    await until(async () =>
      assert.ok((await jobNames('forbid')).includes(`forbid-${(first + hourMs) / 60_000}`)),
    );
    // The late Job can be listed before the status write that records the finished one.
    await until(async () => {
      const status = (await t.api.get(`${cronPath}/forbid`)).json().status;
      assert.equal(
        status.lastSuccessfulTime,
        new Date(first + hourMs + 2000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      );
    });
  });

  it('Replace deletes the running Job and starts the new one', async () => {
    const first = await create('replace', { concurrencyPolicy: 'Replace' });
    tick(first + 1000);
    await until(async () => assert.equal((await jobNames('replace')).length, 1));
    tick(first + hourMs + 1000);
    await until(async () =>
      assert.deepEqual(await jobNames('replace'), [`replace-${(first + hourMs) / 60_000}`]),
    );
  });

  it('keeps only successfulJobsHistoryLimit finished Jobs', async () => {
    const first = await create('history', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 0 });
    for (let i = 0; i < 3; i++) {
      tick(first + i * hourMs + 1000);
      const name = `history-${(first + i * hourMs) / 60_000}`;
      await until(async () => assert.ok((await jobNames('history')).includes(name)));
      await finish(name, i === 1 ? 'Failed' : 'Complete', first + i * hourMs + 2000);
    }
    await until(async () =>
      assert.deepEqual(await jobNames('history'), [`history-${(first + 2 * hourMs) / 60_000}`]),
    );
  });

  it('after downtime starts one Job for the most recent missed time, within startingDeadlineSeconds', async () => {
    const first = await create('catch-up');
    const bounded = await create('too-late', { startingDeadlineSeconds: 600 });
    tick(first - 1000);
    h.stop();
    // Five schedule times pass while the hub is down.
    clock.set(new Date(first + 4 * hourMs + 30 * 60_000));
    startController();
    await until(async () =>
      assert.deepEqual(await jobNames('catch-up'), [`catch-up-${(first + 4 * hourMs) / 60_000}`]),
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await jobNames('too-late'), []);
    assert.ok(bounded > 0);
  });
});
