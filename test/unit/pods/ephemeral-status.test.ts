// Ephemeral containers as the agent reports them, and their one run on a PodManager.
import assert from 'node:assert/strict';
import { buildPodStatus } from '../../../edge-agent/pods/build-pod-status.js';
import type { ApiContainerStatus } from '../../../edge-agent/pods/container-statuses.js';
import { newPodRecord, type PodRecord } from '../../../edge-agent/pods/pod-records.js';
import { groupByPod } from '../../../edge-agent/pods/pod-runtime-view.js';
import type { EphemeralContainer } from '../../../edge-agent/pods/pod-spec.js';
import type { ContainerStatus, SandboxStatus } from '../../../edge-agent/runtime/container-runtime.js';
import { aContainer, aPod, aRuntimeContainer, aSandbox, desiredState, type TestPod } from './pod-builders.js';
import { aHarness, type PodHarness } from './pod-harness.js';

const main = aContainer('main');
const debug: EphemeralContainer = {
  ...aContainer('dbg', { command: ['sh', '-c', 'ps'], stdin: true, tty: true }),
  targetContainerName: 'main',
};
const pod = aPod('web', { containers: [main], ephemeralContainers: [debug] });
const sandbox = aSandbox(pod);
const mainRunning = aRuntimeContainer(pod, sandbox, main);

describe('Ephemeral container statuses', () => {
  const allReady = { isReady: () => true, isStarted: () => true };
  const statusOf = (
    of: TestPod,
    sandboxes: SandboxStatus[],
    containers: ContainerStatus[],
    record: PodRecord = newPodRecord(),
  ) => {
    const status = buildPodStatus({
      pod: of,
      runtime: groupByPod({ sandboxes, containers }).get(of.metadata.uid!),
      record,
      probes: allReady,
      now: Date.parse('2026-01-01T00:05:00Z'),
      nodeName: 'gw1',
      networkReady: true,
      runtimeName: 'containerd',
    });
    return {
      ...status,
      ephemeralContainerStatuses: status.ephemeralContainerStatuses as ApiContainerStatus[] | undefined,
    };
  };

  it('reports none for a pod without ephemeral containers', () => {
    const plain = aPod('plain', { containers: [main] });
    assert.equal(statusOf(plain, [aSandbox(plain)], []).ephemeralContainerStatuses, undefined);
  });

  it('reports Waiting, then Running, then Terminated with the exit code; never ready', () => {
    const waiting = statusOf(pod, [sandbox], [mainRunning]).ephemeralContainerStatuses;
    assert.deepEqual(waiting?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    const running = aRuntimeContainer(pod, sandbox, debug);
    const [up] = statusOf(pod, [sandbox], [mainRunning, running]).ephemeralContainerStatuses ?? [];
    assert.ok(up?.state.running);
    assert.equal(up?.ready, false);
    const ended = aRuntimeContainer(pod, sandbox, debug, { state: 'EXITED', exitCode: 3, reason: 'Error' });
    const [done] = statusOf(pod, [sandbox], [mainRunning, ended]).ephemeralContainerStatuses ?? [];
    assert.equal(done?.state.terminated?.exitCode, 3);
    assert.equal(done?.restartCount, 0);
    assert.equal(done?.containerID, `containerd://${ended.id}`);
  });

  it('keeps the terminated state even when a waiting reason was recorded before', () => {
    const record = newPodRecord();
    record.reasons.set('dbg', { reason: 'CreateContainerError', message: 'x' });
    const ended = aRuntimeContainer(pod, sandbox, debug, { state: 'EXITED', exitCode: 0 });
    const [done] = statusOf(pod, [sandbox], [mainRunning, ended], record).ephemeralContainerStatuses ?? [];
    assert.ok(done?.state.terminated);
  });

  it('leaves the pod phase to the regular containers', () => {
    const running = aRuntimeContainer(pod, sandbox, debug);
    assert.equal(statusOf(pod, [sandbox], [mainRunning, running]).phase, 'Running');
  });
});

describe('Ephemeral containers on a PodManager with a fake runtime', () => {
  let h: PodHarness;

  beforeEach(async () => {
    h = await aHarness();
  });

  afterEach(async () => {
    await h.cleanup();
  });

  it('runs a debugger once, in its target, and not again when the dead sandbox is replaced', async () => {
    h.setDesired(desiredState([pod]));
    await h.sync(3);
    const dbg = await h.running('dbg');
    assert.equal(h.runtime.containerConfig(dbg.id)?.targetContainerId, (await h.running('main')).id);
    h.runtime.exitContainer(dbg.id, 0);
    await h.sync(2);
    const [sandbox] = await h.runtime.listPodSandboxes();
    await h.runtime.stopPodSandbox(sandbox!.id);
    await h.sync(6);
    assert.deepEqual(
      (await h.runtime.listPodSandboxes()).map((s) => [s.metadata.attempt, s.state]),
      [[1, 'READY']],
    );
    assert.ok(await h.running('main'));
    assert.deepEqual(await h.runtimeContainers('dbg'), [], 'the old instance went with its sandbox');
    assert.equal(
      h.events.filter((e) => e.reason === 'Started' && e.message.includes('dbg')).length,
      1,
      'started once',
    );
  });
});
