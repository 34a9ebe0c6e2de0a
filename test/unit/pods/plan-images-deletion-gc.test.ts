import assert from 'node:assert/strict';
import { newPodRecord, type PodRecord } from '../../../edge-agent/pods/pod-records.js';
import { GracePeriodAnnotation } from '../../../edge-agent/pods/runtime-labels.js';
import { plan, summary } from './plan-helpers.js';
import { aContainer, aPod, aRuntimeContainer, aSandbox, deleting } from './pod-builders.js';

const app = aContainer();

describe('planPodActions: images, deletion, garbage collection', () => {
  describe('images', () => {
    const missing = 'docker.io/flotilla/missing:1';
    const pod = aPod('img', { containers: [aContainer('app', { image: missing })] });
    const sandbox = aSandbox(pod);
    const records = (pull: PodRecord['pulls'] extends Map<string, infer P> ? P : never) => {
      const record = newPodRecord();
      record.pulls.set(missing, pull);
      return new Map([[pod.metadata.uid!, record]]);
    };

    it('pulls a missing image, and waits while the pull runs', () => {
      assert.deepEqual(summary(plan([pod], [sandbox], [])), [`pull ${missing}`]);
      const pulling = records({ inFlight: true, lastAttemptAt: 9000, ok: false, message: '' });
      assert.deepEqual(summary(plan([pod], [sandbox], [], { records: pulling })), []);
    });

    it('backs off after a failed pull (ImagePullBackOff), then pulls again', () => {
      const failed = records({
        inFlight: false,
        lastAttemptAt: 9000,
        ok: false,
        message: 'not found',
        backoff: { durationMs: 10_000, lastUpdate: 9000 },
      });
      const waiting = plan([pod], [sandbox], [], { records: failed, now: 12_000 });
      assert.deepEqual(waiting, [
        {
          type: 'wait',
          uid: 'uid-img',
          container: 'app',
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${missing}"`,
        },
      ]);
      assert.deepEqual(summary(plan([pod], [sandbox], [], { records: failed, now: 19_000 })), [
        `pull ${missing}`,
      ]);
    });

    it('never pulls under imagePullPolicy Never (ErrImageNeverPull)', () => {
      const never = aPod('img', {
        containers: [aContainer('app', { image: missing, imagePullPolicy: 'Never' })],
      });
      assert.deepEqual(summary(plan([never], [sandbox], [])), ['wait app ErrImageNeverPull']);
    });

    it('pulls an Always image before it starts, and starts it from the local copy when the pull failed', () => {
      const latest = aPod('img', { containers: [aContainer('app', { image: 'docker.io/x/y:latest' })] });
      assert.deepEqual(summary(plan([latest], [sandbox], [], { images: ['docker.io/x/y:latest'] })), [
        'pull docker.io/x/y:latest',
      ]);
      const record = newPodRecord();
      record.pulls.set('docker.io/x/y:latest', {
        inFlight: false,
        lastAttemptAt: 9000,
        ok: false,
        message: 'dial tcp: lookup registry: no such host',
        backoff: { durationMs: 10_000, lastUpdate: 9000 },
      });
      const offline = plan([latest], [sandbox], [], {
        images: ['docker.io/x/y:latest'],
        records: new Map([['uid-img', record]]),
      });
      assert.deepEqual(summary(offline), ['start app #0']);
    });
  });

  describe('deletion', () => {
    const pod = aPod();
    const sandbox = aSandbox(pod);
    const running = aRuntimeContainer(pod, sandbox, app);

    it('stops a deleting pod with its deletion grace period', () => {
      assert.deepEqual(summary(plan([deleting(pod, 7)], [sandbox], [running])), ['killPod Deleted grace=7']);
    });

    it('finalizes once everything is stopped, and then does nothing', () => {
      const stopped = { ...sandbox, state: 'NOTREADY' as const };
      const exited = { ...running, state: 'EXITED' as const };
      assert.deepEqual(summary(plan([deleting(pod)], [stopped], [exited])), ['finalize']);
      const record = newPodRecord();
      record.finalized = true;
      assert.deepEqual(
        summary(plan([deleting(pod)], [], [], { records: new Map([['uid-web', record]]) })),
        [],
      );
    });

    it('never starts anything for a deleting pod', () => {
      assert.deepEqual(summary(plan([deleting(pod)], [], [])), ['finalize']);
    });
  });

  describe('garbage collection', () => {
    const pod = aPod();
    const sandbox = aSandbox(pod);

    it('stops a pod gone from the desired state with the grace period it was started with, then removes it', () => {
      const running = aRuntimeContainer(pod, sandbox, app, {
        annotations: { ...aRuntimeContainer(pod, sandbox, app).annotations, [GracePeriodAnnotation]: '5' },
      });
      assert.deepEqual(summary(plan([], [sandbox], [running])), ['killPod Removed grace=5']);
      const stopped = { ...sandbox, state: 'NOTREADY' as const };
      assert.deepEqual(summary(plan([], [stopped], [{ ...running, state: 'EXITED' }])), [
        `removeSandbox ${sandbox.id}`,
      ]);
    });

    it('removes dead sandboxes that are not the newest, and containers whose sandbox is gone', () => {
      const old = aSandbox(pod, { state: 'NOTREADY', attempt: 0 });
      const current = aSandbox(pod, { attempt: 1 });
      const running = aRuntimeContainer(pod, current, app);
      const orphan = aRuntimeContainer(pod, { ...current, id: 'gone' }, app, {
        id: 'orphan',
        state: 'EXITED',
      });
      assert.deepEqual(summary(plan([pod], [old, current], [running, orphan])), [
        `removeSandbox ${old.id}`,
        'removeContainer orphan',
      ]);
    });

    it('keeps only the newest exited instance of each container', () => {
      const instances = [0, 1, 2].map((attempt) =>
        aRuntimeContainer(pod, sandbox, app, { attempt, state: 'EXITED', exitCode: 1 }),
      );
      const running = aRuntimeContainer(pod, sandbox, app, { attempt: 3 });
      const actions = plan([pod], [sandbox], [...instances, running]);
      assert.deepEqual(summary(actions), [
        `removeContainer ${instances[1]?.id}`,
        `removeContainer ${instances[0]?.id}`,
      ]);
    });

    it('leaves sandboxes and containers without the pod labels alone', () => {
      const foreign = { ...aSandbox(pod), id: 'foreign', labels: {} };
      assert.deepEqual(summary(plan([], [foreign], [])), []);
    });
  });
});
