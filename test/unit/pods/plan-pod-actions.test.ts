import assert from 'node:assert/strict';
import { kubeletBackoff } from '../../../edge-agent/pods/backoff.js';
import { planPodActions } from '../../../edge-agent/pods/plan-pod-actions.js';
import { newPodRecord } from '../../../edge-agent/pods/pod-records.js';
import { groupByPod } from '../../../edge-agent/pods/pod-runtime-view.js';
import { plan, summary } from './plan-helpers.js';
import { aContainer, aPod, aRuntimeContainer, aSandbox, BUSYBOX } from './pod-builders.js';

const init1 = aContainer('init-1', { command: ['true'] });
const init2 = aContainer('init-2', { command: ['true'] });
const withInit = aPod('web', { initContainers: [init1, init2] });
const app = aContainer();

describe('planPodActions', () => {
  describe('sandboxes', () => {
    it('creates the first sandbox of a new pod', () => {
      assert.deepEqual(summary(plan([aPod()], [], [])), ['createSandbox #0']);
    });

    it('creates no sandbox while the node has no pod CIDR, except for host-network pods', () => {
      assert.deepEqual(summary(plan([aPod()], [], [], { networkReady: false })), []);
      const host = aPod('host', { hostNetwork: true });
      assert.deepEqual(summary(plan([host], [], [], { networkReady: false })), ['createSandbox #0']);
    });

    it('replaces a dead sandbox with the next attempt (the old one is collected later)', () => {
      const pod = aPod();
      const dead = aSandbox(pod, { state: 'NOTREADY', ip: undefined });
      const exited = aRuntimeContainer(pod, dead, app, { state: 'EXITED', exitCode: 137 });
      assert.deepEqual(summary(plan([pod], [dead], [exited])), ['createSandbox #1']);
    });

    it('kills and re-creates the sandbox when hostNetwork changed', () => {
      const before = aPod();
      const sandbox = aSandbox(before);
      const running = aRuntimeContainer(before, sandbox, app);
      const after = aPod('web', { hostNetwork: true });
      assert.deepEqual(summary(plan([after], [sandbox], [running])), [
        'killPod SandboxChanged grace=30',
        'createSandbox #1',
      ]);
    });

    it('does not give a restartPolicy Never pod a second sandbox after it ran', () => {
      const pod = aPod('once', { restartPolicy: 'Never' });
      const dead = aSandbox(pod, { state: 'NOTREADY', ip: undefined });
      const exited = aRuntimeContainer(pod, dead, app, { state: 'EXITED', exitCode: 137 });
      assert.deepEqual(summary(plan([pod], [dead], [exited])), []);
    });
  });

  describe('init containers', () => {
    const sandbox = aSandbox(withInit);

    it('starts only the first init container in a new sandbox', () => {
      assert.deepEqual(summary(plan([withInit], [sandbox], [])), ['start init-1 #0']);
    });

    it('waits while an init container runs', () => {
      const running = aRuntimeContainer(withInit, sandbox, init1);
      assert.deepEqual(summary(plan([withInit], [sandbox], [running])), []);
    });

    it('starts the next init container once the previous one succeeded, then the app containers', () => {
      const done1 = aRuntimeContainer(withInit, sandbox, init1, { state: 'EXITED' });
      assert.deepEqual(summary(plan([withInit], [sandbox], [done1])), ['start init-2 #0']);
      const done2 = aRuntimeContainer(withInit, sandbox, init2, { state: 'EXITED' });
      assert.deepEqual(summary(plan([withInit], [sandbox], [done1, done2])), ['start app #0']);
    });

    it('restarts a failed init container (Always) but stops the pod under restartPolicy Never', () => {
      const failed = aRuntimeContainer(withInit, sandbox, init1, { state: 'EXITED', exitCode: 1 });
      assert.deepEqual(summary(plan([withInit], [sandbox], [failed])), ['start init-1 #1']);
      const never = { ...withInit, spec: { ...withInit.spec, restartPolicy: 'Never' as const } };
      assert.deepEqual(summary(plan([never], [sandbox], [failed])), ['killPod Completed grace=30']);
    });
  });

  describe('app containers and restart policies', () => {
    const pod = aPod();
    const sandbox = aSandbox(pod);
    const exited = (exitCode: number) =>
      aRuntimeContainer(pod, sandbox, app, {
        state: 'EXITED',
        exitCode,
        reason: exitCode ? 'Error' : 'Completed',
      });
    const withPolicy = (restartPolicy: 'Always' | 'OnFailure' | 'Never') => ({
      ...pod,
      spec: { ...pod.spec, restartPolicy },
    });

    it('adopts a running container whose spec matches: nothing to do', () => {
      assert.deepEqual(summary(plan([pod], [sandbox], [aRuntimeContainer(pod, sandbox, app)])), []);
    });

    const table: [policy: 'Always' | 'OnFailure' | 'Never', exitCode: number, expected: string[]][] = [
      ['Always', 0, ['start app #1']],
      ['Always', 1, ['start app #1']],
      ['OnFailure', 1, ['start app #1']],
      ['OnFailure', 0, ['killPod Completed grace=30']],
      ['Never', 1, ['killPod Completed grace=30']],
      ['Never', 0, ['killPod Completed grace=30']],
    ];
    for (const [policy, exitCode, expected] of table) {
      it(`restartPolicy ${policy}, exit code ${exitCode}: ${expected.join(', ')}`, () => {
        assert.deepEqual(summary(plan([withPolicy(policy)], [sandbox], [exited(exitCode)])), expected);
      });
    }

    it('does nothing more for a completed pod whose sandbox is stopped', () => {
      const stopped = { ...sandbox, state: 'NOTREADY' as const, ip: undefined };
      const done = aRuntimeContainer(pod, stopped, app, { state: 'EXITED' });
      assert.deepEqual(summary(plan([withPolicy('OnFailure')], [stopped], [done])), []);
    });

    it('backs off a container that failed again within the back-off', () => {
      const record = newPodRecord();
      const crashed = exited(1);
      const first = plan([pod], [sandbox], [crashed], { records: new Map([[pod.metadata.uid!, record]]) });
      const start = first[0];
      assert.ok(start?.type === 'startContainer' && start.backoff);
      assert.deepEqual(start.backoff.entry, { durationMs: 10_000, lastUpdate: crashed.finishedAt });
      record.crashBackoff.set(start.backoff.key, start.backoff.entry);
      const again = { ...crashed, attempt: 1, id: 'c2', finishedAt: 6000 };
      const waiting = plan([pod], [sandbox], [again], {
        records: new Map([[pod.metadata.uid!, record]]),
        now: 15_999,
      });
      assert.deepEqual(waiting, [
        {
          type: 'wait',
          uid: 'uid-web',
          container: 'app',
          reason: 'CrashLoopBackOff',
          message: 'back-off 10s restarting failed container=app pod=web_default(uid-web)',
        },
      ]);
      const restarted = plan([pod], [sandbox], [again], {
        records: new Map([[pod.metadata.uid!, record]]),
        now: 16_000,
      });
      assert.deepEqual(summary(restarted), ['start app #2']);
      assert.ok(restarted[0]?.type === 'startContainer');
      assert.equal(restarted[0].backoff?.entry.durationMs, 20_000);
    });

    it('restarts a running container whose spec changed, whatever the policy', () => {
      const running = aRuntimeContainer(pod, sandbox, app);
      const changed = { ...withPolicy('Never') };
      changed.spec.containers = [{ ...app, command: ['sh', '-c', 'sleep 10'] }];
      assert.deepEqual(summary(plan([changed], [sandbox], [running])), [
        'kill app (SpecChanged)',
        'start app #1',
      ]);
    });

    it('keeps a changed container running until its new image is on the gateway', () => {
      const running = aRuntimeContainer(pod, sandbox, app);
      const upgraded = aPod('web', { containers: [{ ...app, image: 'docker.io/flotilla/busybox:2' }] });
      assert.deepEqual(summary(plan([upgraded], [sandbox], [running])), [
        'pull docker.io/flotilla/busybox:2',
      ]);
      const present = ['docker.io/flotilla/busybox:2'];
      assert.deepEqual(summary(plan([upgraded], [sandbox], [running], { images: present })), [
        'kill app (SpecChanged)',
        'start app #1',
      ]);
    });

    it('kills and restarts a container that failed its liveness probe (not under Never)', () => {
      const running = aRuntimeContainer(pod, sandbox, app);
      const unhealthy = new Map([[running.id, { probe: 'Liveness' as const, message: '' }]]);
      assert.deepEqual(summary(plan([pod], [sandbox], [running], { unhealthy })), [
        'kill app (Unhealthy)',
        'start app #1',
      ]);
      assert.deepEqual(summary(plan([withPolicy('Never')], [sandbox], [running], { unhealthy })), [
        'kill app (Unhealthy)',
      ]);
    });

    it('replaces a container that was created but never started', () => {
      const created = aRuntimeContainer(pod, sandbox, app, { state: 'CREATED' });
      assert.deepEqual(summary(plan([pod], [sandbox], [created])), [
        `removeContainer ${created.id}`,
        'start app #1',
      ]);
    });
  });
});

describe('planPodActions with a malformed pod', () => {
  it('plans every other pod and hands the malformed one to `failed`', () => {
    const good = aPod('good');
    const broken = aPod('broken');
    const sandbox = aSandbox(broken);
    (broken.spec as { containers: unknown[] }).containers = [null];
    const failed: string[] = [];
    const actions = planPodActions({
      pods: [broken, good],
      runtime: groupByPod({ sandboxes: [sandbox], containers: [] }),
      records: new Map(),
      images: new Set([BUSYBOX]),
      unhealthy: new Map(),
      now: 10_000,
      networkReady: true,
      crashBackoff: kubeletBackoff,
      pullBackoff: kubeletBackoff,
      sandboxBackoff: kubeletBackoff,
      failed: (pod) => failed.push(pod.metadata.name!),
    });
    assert.deepEqual(failed, ['broken']);
    assert.deepEqual(summary(actions), ['createSandbox #0']);
    assert.ok(actions.every((a) => a.uid === good.metadata.uid));
  });
});
