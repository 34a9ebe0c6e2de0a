import assert from 'node:assert/strict';
import { podColumns, podRow } from '../../../../hub/apiserver/tables/pod-table.js';
import { deepFreeze } from '../../../../hub/store/deep-freeze.js';
import { ago, aPod, aRunningPod, now } from './table-builders.js';

const cells = (pod: Parameters<typeof podRow>[0]) => podRow(pod, now).cells;

describe('pod table', () => {
  it('declares the kubectl pod columns, wide ones at priority 1', () => {
    assert.deepEqual(
      podColumns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Status', 0],
        ['Restarts', 0],
        ['Age', 0],
        ['Last-Seen', 0],
        ['IP', 1],
        ['Node', 1],
        ['Nominated Node', 1],
        ['Readiness Gates', 1],
      ],
    );
    assert.equal(podColumns[0]?.format, 'name');
  });

  it('prints a running pod with all columns', () => {
    assert.deepEqual(cells(aRunningPod()), [
      'web-1',
      '1/1',
      'Running',
      '0',
      '3h25m',
      '<unknown>',
      '10.42.0.7',
      'gw-1',
      '<none>',
      '<none>',
    ]);
  });

  it('prints a crash-looping container with its restarts and when it last restarted', () => {
    const pod = aPod(
      'api',
      { nodeName: 'gw-1', containers: [{ name: 'api', image: 'api:2' }] },
      {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'api',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * 60) } },
          },
        ],
      },
    );
    assert.deepEqual(cells(pod).slice(1, 4), ['0/1', 'CrashLoopBackOff', '5 (5m ago)']);
  });

  it('prints ContainerCreating for a pending pod whose container is waiting', () => {
    const pod = aPod(
      'new',
      { containers: [{ name: 'a' }, { name: 'b' }] },
      {
        phase: 'Pending',
        containerStatuses: [
          { name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
          { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
      },
    );
    assert.deepEqual(cells(pod).slice(1, 4), ['0/2', 'ContainerCreating', '0']);
  });

  it('prints Pending for a pod without status yet', () => {
    const pod = aPod('fresh', { containers: [{ name: 'a' }] }, {});
    assert.deepEqual(cells(pod).slice(1, 7), ['0/1', 'Pending', '0', '3h25m', '<none>', '<none>']);
  });

  it('prints the progress of init containers', () => {
    const pod = aPod(
      'db',
      { initContainers: [{ name: 'migrate' }, { name: 'seed' }], containers: [{ name: 'db' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [
          {
            name: 'migrate',
            ready: true,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
          { name: 'seed', ready: false, restartCount: 0, state: { running: { startedAt: ago(10) } } },
        ],
        containerStatuses: [
          { name: 'db', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
    );
    assert.deepEqual(cells(pod).slice(1, 4), ['0/1', 'Init:1/2', '0']);
  });

  it('prints a failing init container with the Init: prefix', () => {
    const pod = aPod(
      'db',
      { initContainers: [{ name: 'migrate' }], containers: [{ name: 'db' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [
          {
            name: 'migrate',
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 2, finishedAt: ago(30) } },
          },
        ],
      },
    );
    assert.deepEqual(cells(pod).slice(1, 4), ['0/1', 'Init:CrashLoopBackOff', '3 (30s ago)']);
  });

  it('prints Init:ExitCode when an init container failed without a reason', () => {
    const pod = aPod(
      'db',
      { initContainers: [{ name: 'migrate' }], containers: [{ name: 'db' }] },
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 3 } } }],
      },
    );
    assert.equal(cells(pod)[2], 'Init:ExitCode:3');
  });

  it('counts a started sidecar init container as a ready container', () => {
    const pod = aPod(
      'meshed',
      { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [
          { name: 'proxy', ready: true, started: true, restartCount: 1, state: { running: {} } },
        ],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
      },
    );
    assert.deepEqual(cells(pod).slice(1, 4), ['2/2', 'Running', '1']);
  });

  it('prints the terminated reason of a finished pod and marks the row completed', () => {
    const pod = aPod(
      'batch',
      { containers: [{ name: 'job' }] },
      {
        phase: 'Succeeded',
        containerStatuses: [
          {
            name: 'job',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
        ],
      },
    );
    const row = podRow(pod, now);
    assert.equal(row.cells[2], 'Completed');
    assert.deepEqual(row.conditions, [
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
  });

  it('prints Running instead of Completed while another container still runs', () => {
    const pod = aPod(
      'mixed',
      { containers: [{ name: 'a' }, { name: 'b' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'a', ready: true, state: { running: {} } },
          { name: 'b', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
    );
    assert.deepEqual(cells(pod).slice(1, 3), ['1/2', 'NotReady']);
  });

  it('prints Terminating for a pod being deleted', () => {
    const pod = aRunningPod('old', {
      metadata: { name: 'old', creationTimestamp: ago(60), deletionTimestamp: ago(-30) },
    });
    assert.deepEqual(cells(pod).slice(2, 5), ['Terminating', '0', '60s']);
  });

  it('prints Unknown for a deleted pod on a lost node', () => {
    const pod = aRunningPod('lost');
    pod.metadata.deletionTimestamp = ago(10);
    (pod.status as { reason?: string }).reason = 'NodeLost';
    assert.equal(cells(pod)[2], 'Unknown');
  });

  it('prints the pod reason, e.g. Evicted', () => {
    const pod = aPod('evicted', { containers: [{ name: 'a' }] }, { phase: 'Failed', reason: 'Evicted' });
    assert.equal(cells(pod)[2], 'Evicted');
  });

  it("keeps STATUS one word and prints LAST-SEEN from its gateway's last heartbeat", () => {
    const pod = aRunningPod('sensor');
    const base = pod.status as Record<string, any>;
    pod.status = {
      ...base,
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'NodeUnreachable',
          message: 'Gateway gw-1 unreachable since 2025-06-01T11:55:00Z',
        },
      ],
    };
    const lookups = { leaseRenewTime: (node: string) => (node === 'gw-1' ? ago(5 * 60 + 3) : undefined) };
    const row = podRow(pod, now, lookups).cells;
    assert.equal(row[2], 'Running');
    assert.equal(row[5], '5m3s');
    const elsewhere = aRunningPod('other');
    (elsewhere.spec as Record<string, unknown>).nodeName = 'gw-2';
    assert.equal(podRow(elsewhere, now, lookups).cells[5], '<unknown>');
    const pending = aPod('waiting', { containers: [{ name: 'a' }] }, { phase: 'Pending' });
    assert.equal(podRow(pending, now, lookups).cells[5], '<none>');
  });

  it('prints SchedulingGated for a gated pod', () => {
    const pod = aPod(
      'gated',
      { containers: [{ name: 'a' }] },
      {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      },
    );
    assert.equal(cells(pod)[2], 'SchedulingGated');
  });

  it('prints the nominated node and how many readiness gates pass', () => {
    const pod = aRunningPod('gated', {
      spec: {
        containers: [{ name: 'web' }],
        readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }],
      },
      status: {
        phase: 'Pending',
        nominatedNodeName: 'gw-2',
        conditions: [{ type: 'example.com/lb', status: 'True' }],
      },
    });
    assert.deepEqual(cells(pod).slice(6), ['<none>', '<none>', 'gw-2', '1/2']);
  });

  it('prints a stored (frozen) pod again at a later time with its times moved on, and a new version anew', () => {
    const stored = deepFreeze(aRunningPod('kept'));
    const first = podRow(stored, now).cells;
    const later = podRow(stored, new Date(now.getTime() + 3_600_000)).cells;
    assert.equal(later[0], first[0]);
    assert.notEqual(later[4], first[4], 'AGE is worked out at each print');
    const deleting = deepFreeze({
      ...stored,
      metadata: { ...stored.metadata, deletionTimestamp: now.toISOString() },
    });
    assert.equal(podRow(deleting, now).cells[2], 'Terminating');
    assert.equal(podRow(stored, now).cells[2], first[2]);
  });
});
