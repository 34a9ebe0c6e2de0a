import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { type CronJob, planCronJob } from '../../../hub/controllers/cronjob/cronjob-plan.js';

const cronJob = (spec: CronJob['spec'] = {}, status: CronJob['status'] = {}): CronJob => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: {
    name: 'report',
    namespace: 'default',
    uid: 'cj-uid',
    creationTimestamp: '2025-06-01T09:30:00Z',
  },
  spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: {} } }, ...spec },
  status,
});

const job = (
  name: string,
  outcome?: 'Complete' | 'Failed',
  startTime = '2025-06-01T10:00:00Z',
): KubeObject => ({
  metadata: { name, uid: `uid-${name}` },
  status: {
    startTime,
    ...(outcome === 'Complete' ? { completionTime: startTime.replace(':00Z', ':30Z') } : {}),
    conditions: outcome ? [{ type: outcome, status: 'True' }] : [],
  },
});

const at = (text: string) => new Date(text);

describe('CronJob planning', () => {
  it('starts the Job for a due time, named after the scheduled minute and annotated in the zone', () => {
    const plan = planCronJob(
      cronJob({ timeZone: 'Europe/Berlin' }),
      [],
      at('2025-06-01T10:00:05Z'),
      'Etc/UTC',
    );
    assert.equal(plan.start?.job.metadata.name, `report-${Date.parse('2025-06-01T10:00:00Z') / 60_000}`);
    assert.equal(
      plan.start?.job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'],
      '2025-06-01T12:00:00+02:00',
    );
    assert.deepEqual(plan.wakeAt, at('2025-06-01T11:00:00Z'));
  });

  it('lists running Jobs as active and records the last success', () => {
    const jobs = [job('report-1'), job('report-2', 'Complete')];
    const plan = planCronJob(
      cronJob({}, { lastScheduleTime: '2025-06-01T10:00:00Z' }),
      jobs,
      at('2025-06-01T10:10:00Z'),
      'Etc/UTC',
    );
    assert.deepEqual(
      plan.status.active?.map((r) => r.name),
      ['report-1'],
    );
    assert.equal(plan.status.lastSuccessfulTime, '2025-06-01T10:00:30Z');
    assert.equal(plan.start, undefined);
  });

  it('Forbid leaves the time unmet while a Job runs; Replace deletes the running Job', () => {
    const running = [job('report-1')];
    const status = { lastScheduleTime: '2025-06-01T10:00:00Z' };
    const forbid = planCronJob(
      cronJob({ concurrencyPolicy: 'Forbid' }, status),
      running,
      at('2025-06-01T11:00:05Z'),
      'Etc/UTC',
    );
    assert.equal(forbid.start, undefined);
    assert.match(forbid.warnings[0]!, /concurrencyPolicy is Forbid/);
    const replace = planCronJob(
      cronJob({ concurrencyPolicy: 'Replace' }, status),
      running,
      at('2025-06-01T11:00:05Z'),
      'Etc/UTC',
    );
    assert.ok(replace.start);
    assert.deepEqual(replace.deleteJobs, ['report-1']);
    const allow = planCronJob(cronJob({}, status), running, at('2025-06-01T11:00:05Z'), 'Etc/UTC');
    assert.deepEqual([Boolean(allow.start), allow.deleteJobs], [true, []]);
  });

  it('does nothing while suspended', () => {
    const plan = planCronJob(cronJob({ suspend: true }), [], at('2025-06-01T12:00:05Z'), 'Etc/UTC');
    assert.deepEqual([plan.start, plan.wakeAt], [undefined, undefined]);
  });

  it('only records the time when its Job already exists', () => {
    const name = `report-${Date.parse('2025-06-01T10:00:00Z') / 60_000}`;
    const plan = planCronJob(cronJob(), [job(name)], at('2025-06-01T10:00:05Z'), 'Etc/UTC');
    assert.equal(plan.start, undefined);
    assert.equal(plan.status.lastScheduleTime, '2025-06-01T10:00:00Z');
  });

  it('warns about more than 100 missed times and still starts the most recent', () => {
    const plan = planCronJob(cronJob({ schedule: '* * * * *' }), [], at('2025-06-01T12:00:10Z'), 'Etc/UTC');
    assert.match(plan.warnings[0]!, /too many missed start times: 150/);
    assert.equal(plan.start?.scheduledTime.toISOString(), '2025-06-01T12:00:00.000Z');
  });

  it('trims finished Jobs beyond the history limits, oldest first', () => {
    const jobs = [
      job('ok-1', 'Complete', '2025-06-01T07:00:00Z'),
      job('ok-2', 'Complete', '2025-06-01T08:00:00Z'),
      job('bad-1', 'Failed', '2025-06-01T06:00:00Z'),
      job('bad-2', 'Failed', '2025-06-01T09:00:00Z'),
    ];
    const spec = { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 };
    const plan = planCronJob(
      cronJob(spec, { lastScheduleTime: '2025-06-01T10:00:00Z' }),
      jobs,
      at('2025-06-01T10:10:00Z'),
      'Etc/UTC',
    );
    assert.deepEqual(plan.deleteJobs, ['ok-1', 'bad-1']);
  });

  it('uses the local zone when the CronJob names none, and reports an unknown zone', () => {
    const plan = planCronJob(
      cronJob({ schedule: '0 12 * * *' }),
      [],
      at('2025-06-01T10:00:05Z'),
      'Europe/Berlin',
    );
    assert.equal(plan.start?.scheduledTime.toISOString(), '2025-06-01T10:00:00.000Z');
    const unknown = planCronJob(
      cronJob({ timeZone: 'Mars/Olympus' }),
      [],
      at('2025-06-01T10:00:05Z'),
      'Etc/UTC',
    );
    assert.match(unknown.warnings[0]!, /Mars\/Olympus/);
  });
});
