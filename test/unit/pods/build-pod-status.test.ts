import assert from 'node:assert/strict';
import { buildPodStatus } from '../../../edge-agent/pods/build-pod-status.js';
import { newPodRecord, type PodRecord } from '../../../edge-agent/pods/pod-records.js';
import { groupByPod } from '../../../edge-agent/pods/pod-runtime-view.js';
import type { ContainerStatus, SandboxStatus } from '../../../edge-agent/runtime/container-runtime.js';
import { aContainer, aPod, aRuntimeContainer, aSandbox, deleting, type TestPod } from './pod-builders.js';

const allReady = { isReady: () => true, isStarted: () => true };

function statusOf(
  pod: TestPod,
  sandboxes: SandboxStatus[],
  containers: ContainerStatus[],
  record?: PodRecord,
) {
  return buildPodStatus({
    pod,
    runtime: groupByPod({ sandboxes, containers }).get(pod.metadata.uid!),
    record: record ?? newPodRecord(),
    probes: allReady,
    now: Date.parse('2026-01-01T00:05:00Z'),
    nodeName: 'gw1',
    hostIP: '172.31.0.11',
    networkReady: true,
    runtimeName: 'containerd',
  });
}

describe('buildPodStatus', () => {
  const app = aContainer('app');
  const side = aContainer('side');
  const pod = aPod('web', { containers: [app, side] });
  const sandbox = aSandbox(pod);
  const running = (spec = app) => aRuntimeContainer(pod, sandbox, spec);
  const exited = (spec = app, exitCode = 0) =>
    aRuntimeContainer(pod, sandbox, spec, {
      state: 'EXITED',
      exitCode,
      reason: exitCode ? 'Error' : 'Completed',
    });
  const withPolicy = (restartPolicy: 'Always' | 'OnFailure' | 'Never') => ({
    ...pod,
    spec: { ...pod.spec, restartPolicy },
  });

  const phases: [string, TestPod, ContainerStatus[], string][] = [
    ['no containers yet', pod, [], 'Pending'],
    ['one running, one not started', pod, [running()], 'Pending'],
    ['both running', pod, [running(), running(side)], 'Running'],
    ['one running, one exited', pod, [running(), exited(side)], 'Running'],
    ['all exited 0 under Always (being restarted)', pod, [exited(), exited(side)], 'Running'],
    ['all exited 0 under OnFailure', withPolicy('OnFailure'), [exited(), exited(side)], 'Succeeded'],
    [
      'one failed under OnFailure (being restarted)',
      withPolicy('OnFailure'),
      [exited(), exited(side, 1)],
      'Running',
    ],
    ['one failed under Never', withPolicy('Never'), [exited(), exited(side, 1)], 'Failed'],
    ['all exited 0 under Never', withPolicy('Never'), [exited(), exited(side)], 'Succeeded'],
  ];
  for (const [what, target, containers, phase] of phases) {
    it(`is ${phase} when ${what}`, () => {
      assert.equal(statusOf(target, [sandbox], containers).phase, phase);
    });
  }

  it('is Failed or Succeeded once a deleted pod has stopped, whatever the restart policy', () => {
    const stopped = { ...sandbox, state: 'NOTREADY' as const };
    assert.equal(statusOf(deleting(pod), [stopped], [exited(app, 143), exited(side)]).phase, 'Failed');
    assert.equal(statusOf(deleting(pod), [stopped], [exited(), exited(side)]).phase, 'Succeeded');
  });

  it('keeps a terminal phase once reached', () => {
    const record = newPodRecord();
    record.terminalPhase = 'Succeeded';
    assert.equal(statusOf(pod, [sandbox], [running(), running(side)], record).phase, 'Succeeded');
  });

  it('shows a waiting reason over the last termination while the container will be restarted', () => {
    const record = newPodRecord();
    record.reasons.set('app', { reason: 'CrashLoopBackOff', message: 'back-off 10s ...' });
    const failed = aRuntimeContainer(pod, sandbox, app, {
      state: 'EXITED',
      exitCode: 1,
      reason: 'Error',
      attempt: 3,
    });
    const status = statusOf(pod, [sandbox], [failed, running(side)], record);
    const container = status.containerStatuses?.[0] as any;
    assert.deepEqual(container.state, {
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s ...' },
    });
    assert.equal(container.lastState.terminated.exitCode, 1);
    assert.equal(container.lastState.terminated.containerID, `containerd://${failed.id}`);
    assert.equal(container.restartCount, 3);
    assert.equal(container.ready, false);
    // Under Never it will not be restarted: the termination stays the state.
    const never = statusOf(withPolicy('Never'), [sandbox], [failed, running(side)], record);
    assert.equal((never.containerStatuses?.[0] as any).state.terminated.reason, 'Error');
  });

  it('reports times to the second and a terminated state with the runtime reason and message', () => {
    const oom = aRuntimeContainer(pod, sandbox, app, {
      state: 'EXITED',
      exitCode: 137,
      reason: 'OOMKilled',
      message: 'memory limit',
      startedAt: Date.parse('2026-01-01T00:00:01.600Z'),
      finishedAt: Date.parse('2026-01-01T00:00:09.200Z'),
    });
    const status = statusOf(withPolicy('Never'), [sandbox], [oom, running(side)]);
    assert.deepEqual((status.containerStatuses?.[0] as any).state.terminated, {
      exitCode: 137,
      reason: 'OOMKilled',
      message: 'memory limit',
      startedAt: '2026-01-01T00:00:01Z',
      finishedAt: '2026-01-01T00:00:09Z',
      containerID: `containerd://${oom.id}`,
    });
  });

  it('lists unready containers in Ready and ContainersReady, Go-style', () => {
    const status = statusOf(pod, [sandbox], [running()]);
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    assert.deepEqual(ready, {
      type: 'Ready',
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [side]',
      lastProbeTime: null,
      lastTransitionTime: '2026-01-01T00:05:00Z',
    });
  });

  it('keeps a condition transition time while its status does not change', () => {
    const record = newPodRecord();
    record.lastReported = statusOf(pod, [sandbox], [running(), running(side)]);
    const later = buildPodStatus({
      pod,
      runtime: groupByPod({ sandboxes: [sandbox], containers: [running(), running(side)] }).get('uid-web'),
      record,
      probes: allReady,
      now: Date.parse('2026-01-01T01:00:00Z'),
      nodeName: 'gw1',
      networkReady: true,
      runtimeName: 'containerd',
    });
    assert.equal(
      later.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime,
      '2026-01-01T00:05:00Z',
    );
    assert.equal(
      later.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime,
      '2026-01-01T00:00:00Z',
    );
  });
});
