import assert from 'node:assert/strict';
import { RuntimeError } from '../../../edge-agent/runtime/container-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { aContainer, aPod, deleting, desiredState } from './pod-builders.js';
import { aHarness, type PodHarness } from './pod-harness.js';

describe('PodManager: images and the pod CIDR', () => {
  let h: PodHarness;

  beforeEach(async () => {
    h = await aHarness();
  });

  afterEach(async () => {
    await h.cleanup();
  });

  describe('images', () => {
    it('pulls a missing image before it creates the container', async () => {
      const pod = aPod('web', { containers: [aContainer('app', { image: 'docker.io/flotilla/other:2' })] });
      h.setDesired(desiredState([pod]));
      await h.sync(4);
      assert.equal(h.status('web').phase, 'Running');
      assert.deepEqual(h.reasons().slice(0, 2), ['Pulling', 'Pulled']);
    });

    it('reports ErrImagePull, then ImagePullBackOff, when the pull fails', async () => {
      h.runtime.pullImage = async (ref) => {
        throw new RuntimeError('Unknown', `PullImage: failed to resolve reference "${ref}": no such host`);
      };
      const pod = aPod('web', { containers: [aContainer('app', { image: 'docker.io/flotilla/missing:1' })] });
      h.setDesired(desiredState([pod]));
      await h.sync(3);
      const pulled = h.container('web').state.waiting;
      assert.equal(pulled.reason, 'ErrImagePull');
      assert.match(pulled.message, /no such host/);
      await h.sync(1);
      assert.deepEqual(h.container('web').state.waiting, {
        reason: 'ImagePullBackOff',
        message: 'Back-off pulling image "docker.io/flotilla/missing:1"',
      });
      assert.equal(h.status('web').phase, 'Pending');
    });

    it('bounds a pull that hangs, and reports ErrImagePull', async () => {
      await h.cleanup();
      h = await aHarness({ pullTimeoutMs: 200 });
      h.runtime.pullImage = () => new Promise<string>(() => {});
      const pod = aPod('web', { containers: [aContainer('app', { image: 'docker.io/flotilla/slow:1' })] });
      h.setDesired(desiredState([pod]));
      await h.sync(3);
      assert.deepEqual(h.container('web').state.waiting, {
        reason: 'ErrImagePull',
        message: 'pulling image "docker.io/flotilla/slow:1" timed out after 200 ms',
      });
    });

    it('does not let a hanging pull hold up the deletion of its pod', async () => {
      await h.cleanup();
      h = await aHarness({ pullTimeoutMs: 60_000, syncIntervalMs: 20 });
      let pulling = false;
      h.runtime.pullImage = () => {
        pulling = true;
        return new Promise<string>(() => {});
      };
      const pod = aPod('web', { containers: [aContainer('app', { image: 'docker.io/flotilla/slow:1' })] });
      h.setDesired(desiredState([pod]));
      await h.manager.start();
      await eventually(() => pulling);
      h.setDesired(desiredState([deleting(pod)], { revision: 2 }));
      await eventually(() => h.statuses.some((s) => s.finalized), { timeoutMs: 2000 });
    });

    it('never pulls under imagePullPolicy Never (ErrImageNeverPull)', async () => {
      const image = 'docker.io/flotilla/missing:1';
      const pod = aPod('web', { containers: [aContainer('app', { image, imagePullPolicy: 'Never' })] });
      h.setDesired(desiredState([pod]));
      await h.sync(3);
      assert.deepEqual(h.container('web').state.waiting, {
        reason: 'ErrImageNeverPull',
        message: `Container image "${image}" is not present with pull policy of Never`,
      });
    });

    it('starts an Always image from the local copy when the gateway is offline', async () => {
      h.runtime.addImage('docker.io/flotilla/edge:latest');
      h.runtime.pullImage = async () => {
        throw new RuntimeError('Unknown', 'PullImage: dial tcp: lookup registry-1.docker.io: no such host');
      };
      const pod = aPod('web', {
        containers: [aContainer('app', { image: 'docker.io/flotilla/edge:latest' })],
      });
      h.setDesired(desiredState([pod]));
      await h.sync(4);
      assert.equal(h.status('web').phase, 'Running');
    });
  });

  describe('pod CIDR', () => {
    it('keeps pods Pending without a sandbox until the node has a pod CIDR', async () => {
      let ready = false;
      await h.cleanup();
      h = await aHarness({ podCidrReady: () => ready });
      h.setDesired(desiredState([aPod()]));
      await h.sync(3);
      assert.equal((await h.runtime.listPodSandboxes()).length, 0);
      const status = h.status('web');
      assert.equal(status.phase, 'Pending');
      assert.match(String(status.message), /no pod CIDR yet/);
      const condition = status.conditions?.find((c) => c.type === 'PodReadyToStartContainers');
      assert.equal(condition?.status, 'False');
      assert.match(String(condition?.message), /no pod CIDR yet/);
      ready = true;
      await h.sync(3);
      assert.equal(h.status('web').phase, 'Running');
    });
  });

  describe('sandbox failures', () => {
    it('backs off after a failed sandbox creation, 10 s doubling, and reports one event series', async () => {
      let attempts = 0;
      const broken = h.runtime.runPodSandbox.bind(h.runtime);
      let failing = true;
      h.runtime.runPodSandbox = async (config) => {
        attempts += 1;
        if (failing)
          throw new RuntimeError(
            'Unknown',
            'failed to get sandbox image "registry.k8s.io/pause:3.10": no such host',
          );
        return broken(config);
      };
      h.setDesired(desiredState([aPod()]));
      await h.sync(5);
      assert.equal(attempts, 1, 'no retry inside the back-off');
      h.clock.advance(9_000);
      await h.sync(3);
      assert.equal(attempts, 1);
      h.clock.advance(1_000);
      await h.sync(3);
      assert.equal(attempts, 2, 'retried once 10 s after the first failure');
      h.clock.advance(10_000);
      await h.sync(3);
      assert.equal(attempts, 2, 'the second wait is 20 s');
      h.clock.advance(10_000);
      await h.sync(3);
      assert.equal(attempts, 3);
      const failures = h.events.filter((e) => e.reason === 'FailedCreatePodSandBox');
      assert.deepEqual(
        failures.map((e) => e.count ?? 1),
        [1, 2, 3],
        'the same event, counted',
      );
      assert.equal(failures[2]?.firstObservedAt, failures[0]?.observedAt);
      failing = false;
      h.clock.advance(40_000);
      await h.sync(4);
      assert.equal(h.status('web').phase, 'Running');
    });
  });
});
