import assert from 'node:assert/strict';
import { aContainer, aPod, desiredState } from './pod-builders.js';
import { aHarness, type PodHarness } from './pod-harness.js';

describe('PodManager on a fake runtime', () => {
  let h: PodHarness;

  beforeEach(async () => {
    h = await aHarness();
  });

  afterEach(async () => {
    await h.cleanup();
  });

  describe('running pods', () => {
    it('creates the sandbox, then the container, and reports the pod Running and Ready with its IPs', async () => {
      h.setDesired(desiredState([aPod()]));
      await h.sync(3);
      const status = h.status('web');
      assert.equal(status.phase, 'Running');
      assert.equal(status.podIP, '10.88.0.2');
      assert.deepEqual(status.podIPs, [{ ip: '10.88.0.2' }]);
      assert.equal(status.hostIP, '172.31.0.11');
      assert.equal(status.startTime, '2026-01-01T00:00:00Z');
      const conditions = Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c.status]));
      assert.deepEqual(conditions, {
        PodReadyToStartContainers: 'True',
        Initialized: 'True',
        Ready: 'True',
        ContainersReady: 'True',
        PodScheduled: 'True',
      });
      const app = h.container('web');
      const running = await h.running('app');
      assert.deepEqual(app.state, { running: { startedAt: '2026-01-01T00:00:00Z' } });
      assert.equal(app.containerID, `containerd://${running.id}`);
      assert.equal(app.ready, true);
      assert.equal(app.started, true);
      assert.equal(app.restartCount, 0);
      assert.equal(app.image, 'docker.io/flotilla/busybox:1');
      assert.match(app.imageID, /^sha256:/);
      assert.deepEqual(h.reasons(), ['Created', 'Started']);
    });

    it('reports a status only when it changed, stamped with the clock', async () => {
      h.setDesired(desiredState([aPod()]));
      await h.sync(3);
      const reported = h.statuses.length;
      h.clock.advance(5000);
      await h.sync(3);
      assert.equal(h.statuses.length, reported);
      assert.ok(h.statuses.every((s) => s.observedAt === Date.parse('2026-01-01T00:00:00Z')));
    });

    it('runs the init containers one at a time, in order, before any app container', async () => {
      const pod = aPod('web', { initContainers: [aContainer('init-1'), aContainer('init-2')] });
      h.setDesired(desiredState([pod]));
      await h.sync(3);
      assert.deepEqual(
        (await h.runtimeContainers()).map((c) => c.name),
        ['init-1'],
      );
      assert.equal(h.status('web').phase, 'Pending');
      assert.equal(h.container('web').state.waiting.reason, 'PodInitializing');
      const initialized = h.status('web').conditions?.find((c) => c.type === 'Initialized');
      assert.equal(initialized?.message, 'containers with incomplete status: [init-1 init-2]');
      h.runtime.exitContainer((await h.running('init-1')).id, 0);
      await h.sync(2);
      assert.deepEqual((await h.runtimeContainers()).map((c) => c.name).sort(), ['init-1', 'init-2']);
      h.runtime.exitContainer((await h.running('init-2')).id, 0);
      await h.sync(3);
      assert.equal(h.status('web').phase, 'Running');
      assert.equal(h.container('web', 'init-2').state.terminated.reason, 'Completed');
      assert.equal(h.container('web', 'init-2').ready, true);
      assert.equal(h.status('web').conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
    });

    it('fails the pod when an init container fails under restartPolicy Never', async () => {
      const pod = aPod('job', { restartPolicy: 'Never', initContainers: [aContainer('setup')] });
      h.setDesired(desiredState([pod]));
      await h.sync(3);
      h.runtime.exitContainer((await h.running('setup')).id, 2);
      await h.sync(3);
      assert.equal(h.status('job').phase, 'Failed');
      assert.equal(h.container('job', 'setup').state.terminated.exitCode, 2);
      assert.deepEqual((await h.runtimeContainers('app')).length, 0);
      assert.equal((await h.runtime.listPodSandboxes())[0]?.state, 'NOTREADY');
    });
  });

  describe('restart policies and back-off', () => {
    it('restarts a failing container at once, then backs off 10 s, 20 s with CrashLoopBackOff', async () => {
      h.setDesired(desiredState([aPod()]));
      await h.sync(3);
      h.runtime.exitContainer((await h.running('app')).id, 1);
      await h.sync(3);
      assert.equal(h.container('web').restartCount, 1);
      assert.ok(h.container('web').state.running);
      assert.equal(h.container('web').lastState.terminated.exitCode, 1);

      h.runtime.exitContainer((await h.running('app')).id, 1);
      await h.sync(2);
      const waiting = h.container('web');
      assert.deepEqual(waiting.state.waiting, {
        reason: 'CrashLoopBackOff',
        message: 'back-off 10s restarting failed container=app pod=web_default(uid-web)',
      });
      assert.equal(waiting.lastState.terminated.exitCode, 1);
      assert.equal(waiting.restartCount, 1);
      assert.equal(h.status('web').phase, 'Running');
      assert.ok(h.events.some((e) => e.reason === 'BackOff' && e.type === 'Warning'));

      h.clock.advance(9_999);
      await h.sync(2);
      assert.ok(h.container('web').state.waiting);
      h.clock.advance(1);
      await h.sync(3);
      assert.equal(h.container('web').restartCount, 2);
      assert.ok(h.container('web').state.running);

      h.runtime.exitContainer((await h.running('app')).id, 1);
      await h.sync(2);
      assert.match(h.container('web').state.waiting.message, /^back-off 20s restarting failed container=app/);
    });

    it('completes an OnFailure pod whose container exits 0 (Succeeded, sandbox stopped)', async () => {
      h.setDesired(desiredState([aPod('once', { restartPolicy: 'OnFailure' })]));
      await h.sync(3);
      h.runtime.exitContainer((await h.running('app')).id, 0);
      await h.sync(3);
      assert.equal(h.status('once').phase, 'Succeeded');
      assert.equal(h.status('once').podIP, '10.88.0.2');
      assert.equal(h.status('once').conditions?.find((c) => c.type === 'Ready')?.reason, 'PodCompleted');
      assert.equal((await h.runtime.listPodSandboxes())[0]?.state, 'NOTREADY');
      await h.sync(3);
      assert.equal((await h.runtimeContainers()).length, 1);
    });

    it('fails a Never pod whose container exits non-zero, and reports OOMKilled from the runtime', async () => {
      h.setDesired(desiredState([aPod('once', { restartPolicy: 'Never' })]));
      await h.sync(3);
      h.runtime.exitContainer((await h.running('app')).id, 137, 'OOMKilled');
      await h.sync(2);
      assert.equal(h.status('once').phase, 'Failed');
      assert.equal(h.container('once').state.terminated.reason, 'OOMKilled');
      assert.equal(h.container('once').state.terminated.exitCode, 137);
    });

    it('reports a command that cannot run as StartError (Never) or CrashLoopBackOff over it (Always)', async () => {
      const bad = aContainer('app', { command: ['/no/such/binary'] });
      h.runtime.failNextStart(
        'docker.io/flotilla/busybox:1',
        'exec: "/no/such/binary": stat /no/such/binary: no such file',
      );
      h.setDesired(desiredState([aPod('never', { restartPolicy: 'Never', containers: [bad] })]));
      await h.sync(4);
      const terminated = h.container('never').state.terminated;
      assert.equal(terminated.reason, 'StartError');
      assert.match(terminated.message, /no such file/);
      assert.equal(h.status('never').phase, 'Failed');

      const message = 'exec: "/no/such/binary": no such file';
      h.runtime.failNextStart('docker.io/flotilla/busybox:1', message);
      h.setDesired(desiredState([aPod('always', { containers: [bad] })], { revision: 2 }));
      await h.sync(2);
      h.runtime.failNextStart('docker.io/flotilla/busybox:1', message);
      await h.sync(1);
      const failed = h.container('always');
      assert.equal(failed.state.waiting.reason, 'RunContainerError');
      assert.equal(failed.lastState.terminated.reason, 'StartError');
      await h.sync(2);
      const looping = h.container('always');
      assert.equal(looping.state.waiting.reason, 'CrashLoopBackOff');
      assert.equal(looping.lastState.terminated.reason, 'StartError');
      assert.equal(looping.lastState.terminated.message, message);
      assert.equal(looping.restartCount, 1);
    });

    it('keeps counting restarts when a dead sandbox is replaced', async () => {
      h.setDesired(desiredState([aPod()]));
      await h.sync(3);
      h.runtime.exitContainer((await h.running('app')).id, 1);
      await h.sync(3);
      const [sandbox] = await h.runtime.listPodSandboxes();
      await h.runtime.stopPodSandbox(sandbox!.id);
      await h.sync(5);
      const sandboxes = await h.runtime.listPodSandboxes();
      assert.deepEqual(
        sandboxes.map((s) => [s.metadata.attempt, s.state]),
        [[1, 'READY']],
      );
      assert.ok(h.container('web').state.running);
      assert.equal(h.container('web').restartCount, 2);
      assert.equal(h.status('web').phase, 'Running');
    });
  });
});
