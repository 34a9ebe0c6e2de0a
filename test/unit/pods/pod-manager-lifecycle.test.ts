import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { aContainer, aPod, deleting, desiredState } from './pod-builders.js';
import { aHarness, type PodHarness } from './pod-harness.js';

describe('PodManager: adoption, deletion, garbage collection', () => {
  let h: PodHarness;

  beforeEach(async () => {
    h = await aHarness();
  });

  afterEach(async () => {
    await h.cleanup();
  });

  describe('adoption after an agent restart', () => {
    it('adopts the running pod: same sandbox and containers, same restart count, nothing created', async () => {
      const probe = { exec: { command: ['true'] }, periodSeconds: 1 };
      h.setDesired(
        desiredState([aPod('web', { containers: [aContainer('app', { readinessProbe: probe })] })]),
      );
      await h.sync(3);
      h.runtime.exitContainer((await h.running('app')).id, 1);
      await h.sync(3);
      const before = await h.runtimeContainers();
      const sandboxes = await h.runtime.listPodSandboxes();
      await h.manager.stop();
      const events = h.events.length;
      const reported = h.statuses.length;
      h.newManager();
      await h.sync(3);
      assert.deepEqual(await h.runtimeContainers(), before);
      // The first pass waits for the probes: no flap to unready after the restart.
      const after = h.statuses.slice(reported);
      assert.equal(after.length, 1);
      assert.equal(after[0]?.status.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
      assert.deepEqual(await h.runtime.listPodSandboxes(), sandboxes);
      assert.equal(h.container('web').restartCount, 1);
      assert.equal(h.status('web').phase, 'Running');
      assert.deepEqual(h.events.slice(events), []);
    });
  });

  describe('deletion and garbage collection', () => {
    it('stops a deleting pod with its grace period, removes it and reports finalized once', async () => {
      h.setDesired(desiredState([aPod()]));
      await h.sync(3);
      const grace: number[] = [];
      const stop = h.runtime.stopContainer.bind(h.runtime);
      h.runtime.stopContainer = (id, seconds) => {
        grace.push(seconds);
        return stop(id, seconds);
      };
      h.setDesired(desiredState([deleting(aPod(), 7)], { revision: 2 }));
      await h.sync(3);
      assert.deepEqual(grace, [7]);
      const final = h.statuses.filter((s) => s.finalized);
      assert.equal(final.length, 1);
      assert.equal(final[0]?.uid, 'uid-web');
      assert.ok(final[0]?.status.containerStatuses?.[0]?.state);
      assert.equal((final[0]?.status.containerStatuses?.[0]?.state as any).terminated.exitCode, 137);
      assert.equal(final[0]?.status.phase, 'Failed');
      assert.deepEqual(await h.runtime.listPodSandboxes(), []);
      assert.deepEqual(await h.runtimeContainers(), []);
      await h.sync(3);
      assert.equal(h.statuses.filter((s) => s.finalized).length, 1);
      assert.ok(h.reasons().includes('Killing'));
    });

    it('stops and removes a pod that left the desired state, and its directory', async () => {
      h.setDesired(desiredState([aPod()]));
      await h.sync(3);
      assert.ok(existsSync(join(h.dataDir, 'pods', 'uid-web')));
      h.setDesired(desiredState([], { revision: 2 }));
      await h.sync(3);
      assert.deepEqual(await h.runtime.listPodSandboxes(), []);
      assert.deepEqual(await h.runtimeContainers(), []);
      assert.equal(existsSync(join(h.dataDir, 'pods', 'uid-web')), false);
    });

    it('collects a NOTREADY sandbox a failed start left behind, and exited instances beyond the last', async () => {
      h.setDesired(desiredState([aPod()]));
      await h.sync(3);
      const leftover = await h.runtime.runPodSandbox({
        metadata: { name: 'web', namespace: 'default', uid: 'uid-web', attempt: 9 },
        logDirectory: h.dataDir,
        hostNetwork: false,
        portMappings: [],
        labels: { 'io.kubernetes.pod.uid': 'uid-web' },
        annotations: {},
      });
      await h.runtime.stopPodSandbox(leftover);
      // Newer than the pod's sandbox: the pod moves to attempt 10 and attempt 9 is collected.
      await h.sync(5);
      for (let i = 0; i < 3; i++) {
        h.runtime.exitContainer((await h.running('app')).id, 1);
        h.clock.advance(400_000);
        await h.sync(3);
      }
      const sandboxes = await h.runtime.listPodSandboxes();
      assert.deepEqual(
        sandboxes.map((s) => s.metadata.attempt),
        [10],
      );
      const instances = await h.runtimeContainers('app');
      assert.deepEqual(instances.map((c) => c.state).sort(), ['EXITED', 'RUNNING']);
    });
  });
});
