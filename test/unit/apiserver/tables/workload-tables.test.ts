import assert from 'node:assert/strict';
import { cronJobColumns, cronJobRow } from '../../../../hub/apiserver/tables/cronjob-table.js';
import { daemonSetColumns, daemonSetRow } from '../../../../hub/apiserver/tables/daemonset-table.js';
import { deploymentColumns, deploymentRow } from '../../../../hub/apiserver/tables/deployment-table.js';
import { jobColumns, jobRow } from '../../../../hub/apiserver/tables/job-table.js';
import { replicaSetColumns, replicaSetRow } from '../../../../hub/apiserver/tables/replicaset-table.js';
import { aDeployment, ago, aWorkload, now, webTemplate } from './table-builders.js';

const names = (columns: readonly { name: string; priority: number }[], priority: number) =>
  columns.filter((c) => c.priority === priority).map((c) => c.name);

describe('deployment table', () => {
  it('declares NAME READY UP-TO-DATE AVAILABLE AGE and wide CONTAINERS IMAGES SELECTOR', () => {
    assert.deepEqual(names(deploymentColumns, 0), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    assert.deepEqual(names(deploymentColumns, 1), ['Containers', 'Images', 'Selector']);
  });

  it('prints a rolled-out deployment', () => {
    const deployment = aDeployment(
      'web',
      { replicas: 3, selector: { matchLabels: { app: 'web', tier: 'front' } }, template: webTemplate },
      { replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 },
    );
    assert.deepEqual(deploymentRow(deployment, now).cells, [
      'web',
      '3/3',
      3,
      3,
      '3h25m',
      'web,sidecar',
      'nginx:1.27,busybox:1.36',
      'app=web,tier=front',
    ]);
  });

  it('prints a deployment mid-rollout, with replicas defaulting to 1 and no status yet', () => {
    const rolling = aDeployment(
      'api',
      { replicas: 4, template: webTemplate },
      { readyReplicas: 2, updatedReplicas: 1 },
    );
    assert.deepEqual(deploymentRow(rolling, now).cells.slice(1, 4), ['2/4', 1, 0]);
    const fresh = aDeployment('new', { template: webTemplate });
    assert.deepEqual(deploymentRow(fresh, now).cells.slice(1, 4), ['0/1', 0, 0]);
  });

  it('prints match expressions in the selector, sorted by key', () => {
    const deployment = aDeployment('web', {
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'track', operator: 'NotIn', values: ['canary', 'beta'] },
          { key: 'env', operator: 'In', values: ['prod', 'edge'] },
          { key: 'gpu', operator: 'DoesNotExist' },
          { key: 'arch', operator: 'Exists' },
        ],
      },
    });
    assert.equal(
      deploymentRow(deployment, now).cells[7],
      'app=web,arch,env in (edge,prod),!gpu,track notin (beta,canary)',
    );
  });
});

describe('replicaset table', () => {
  it('prints desired, current and ready counts as numbers', () => {
    assert.deepEqual(names(replicaSetColumns, 0), ['Name', 'Desired', 'Current', 'Ready', 'Age']);
    const replicaSet = aWorkload('ReplicaSet', 'apps/v1', 'web-7d9c', {
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: webTemplate },
      status: { replicas: 2, readyReplicas: 1 },
    });
    assert.deepEqual(replicaSetRow(replicaSet, now).cells, [
      'web-7d9c',
      2,
      2,
      1,
      '3h25m',
      'web,sidecar',
      'nginx:1.27,busybox:1.36',
      'app=web',
    ]);
  });
});

describe('daemonset table', () => {
  it('prints the scheduling counters and the node selector', () => {
    assert.deepEqual(names(daemonSetColumns, 0), [
      'Name',
      'Desired',
      'Current',
      'Ready',
      'Up-to-date',
      'Available',
      'Node Selector',
      'Age',
    ]);
    const daemonSet = aWorkload('DaemonSet', 'apps/v1', 'agent', {
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          spec: {
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [{ name: 'agent', image: 'agent:1' }],
          },
        },
      },
      status: {
        desiredNumberScheduled: 4,
        currentNumberScheduled: 4,
        numberReady: 3,
        updatedNumberScheduled: 4,
        numberAvailable: 3,
      },
    });
    assert.deepEqual(daemonSetRow(daemonSet, now).cells, [
      'agent',
      4,
      4,
      3,
      4,
      3,
      'kubernetes.io/os=linux',
      '3h25m',
      'agent',
      'agent:1',
      'app=agent',
    ]);
  });
});

describe('job table', () => {
  const aJob = (spec: object, status: object, metadata: object = {}) =>
    aWorkload('Job', 'batch/v1', 'backup', {
      spec: { template: webTemplate, ...spec },
      status,
      metadata: { name: 'backup', ...metadata },
    });

  it('declares NAME STATUS COMPLETIONS DURATION AGE', () => {
    assert.deepEqual(names(jobColumns, 0), ['Name', 'Status', 'Completions', 'Duration', 'Age']);
  });

  it('prints a completed job with its duration', () => {
    const job = aJob(
      { completions: 1, selector: { matchLabels: { 'batch.kubernetes.io/job-name': 'backup' } } },
      {
        succeeded: 1,
        startTime: ago(600),
        completionTime: ago(600 - 47),
        conditions: [
          { type: 'SuccessCriteriaMet', status: 'True' },
          { type: 'Complete', status: 'True' },
        ],
      },
    );
    assert.deepEqual(jobRow(job, now).cells, [
      'backup',
      'Complete',
      '1/1',
      '47s',
      '3h25m',
      'web,sidecar',
      'nginx:1.27,busybox:1.36',
      'batch.kubernetes.io/job-name=backup',
    ]);
  });

  it('prints a running job with the time since it started', () => {
    const job = aJob({ completions: 5, parallelism: 2 }, { succeeded: 2, startTime: ago(190) });
    assert.deepEqual(jobRow(job, now).cells.slice(1, 4), ['Running', '2/5', '3m10s']);
  });

  it('prints parallel jobs without completions and jobs not started yet', () => {
    const job = aJob({ parallelism: 3 }, {});
    assert.deepEqual(jobRow(job, now).cells.slice(1, 4), ['Running', '0/1 of 3', '']);
    assert.equal(jobRow(aJob({}, {}), now).cells[7], '<none>');
  });

  it('prints Failed, Suspended and Terminating', () => {
    assert.equal(
      jobRow(aJob({}, { conditions: [{ type: 'Failed', status: 'True' }] }), now).cells[1],
      'Failed',
    );
    assert.equal(
      jobRow(aJob({}, { conditions: [{ type: 'Suspended', status: 'True' }] }), now).cells[1],
      'Suspended',
    );
    assert.equal(jobRow(aJob({}, {}, { deletionTimestamp: ago(1) }), now).cells[1], 'Terminating');
    assert.equal(
      jobRow(aJob({}, { conditions: [{ type: 'FailureTarget', status: 'True' }] }), now).cells[1],
      'FailureTarget',
    );
  });
});

describe('cronjob table', () => {
  it('prints schedule, timezone, suspension, active jobs and the last schedule', () => {
    assert.deepEqual(names(cronJobColumns, 0), [
      'Name',
      'Schedule',
      'Timezone',
      'Suspend',
      'Active',
      'Last Schedule',
      'Age',
    ]);
    const cronJob = aWorkload('CronJob', 'batch/v1', 'nightly', {
      spec: {
        schedule: '0 3 * * *',
        timeZone: 'Europe/Paris',
        jobTemplate: {
          spec: { template: { spec: { containers: [{ name: 'backup', image: 'restic:0.17' }] } } },
        },
      },
      status: { active: [{ kind: 'Job', name: 'nightly-29100' }], lastScheduleTime: ago(4 * 3600) },
    });
    assert.deepEqual(cronJobRow(cronJob, now).cells, [
      'nightly',
      '0 3 * * *',
      'Europe/Paris',
      'False',
      1,
      '4h',
      '3h25m',
      'backup',
      'restic:0.17',
      '<none>',
    ]);
  });

  it('prints <none> for a cron job never scheduled and True when suspended', () => {
    const cronJob = aWorkload('CronJob', 'batch/v1', 'paused', {
      spec: { schedule: '*/5 * * * *', suspend: true },
    });
    assert.deepEqual(cronJobRow(cronJob, now).cells.slice(2, 6), ['<none>', 'True', 0, '<none>']);
  });
});
