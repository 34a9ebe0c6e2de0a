import assert from 'node:assert/strict';
import type { Action } from '../../../edge-agent/pods/pod-actions.js';
import { newPodRecord } from '../../../edge-agent/pods/pod-records.js';
import type { EphemeralContainer } from '../../../edge-agent/pods/pod-spec.js';
import { plan, summary } from './plan-helpers.js';
import { aContainer, aPod, aRuntimeContainer, aSandbox, BUSYBOX } from './pod-builders.js';

const main = aContainer('main');
const debug: EphemeralContainer = {
  ...aContainer('dbg', { command: ['sh', '-c', 'ps'], stdin: true, tty: true }),
  targetContainerName: 'main',
};
const pod = aPod('web', { containers: [main], ephemeralContainers: [debug] });
const sandbox = aSandbox(pod);
const mainRunning = aRuntimeContainer(pod, sandbox, main);

function started(actions: Action[]): Extract<Action, { type: 'startContainer' }> | undefined {
  return actions.find((a): a is Extract<Action, { type: 'startContainer' }> => a.type === 'startContainer');
}

describe('Ephemeral containers in the planner', () => {
  it('starts one in the running sandbox, in the process namespace of its running target', () => {
    const actions = plan([pod], [sandbox], [mainRunning]);
    assert.deepEqual(summary(actions), ['start dbg #0']);
    const start = started(actions);
    assert.equal(start?.kind, 'ephemeral');
    assert.equal(start?.targetContainerId, mainRunning.id);
    assert.equal(start?.sandboxId, sandbox.id);
  });

  it('starts one without a target on its own, even while init containers have not run', () => {
    const init = aContainer('setup');
    const loose = aPod('web', {
      initContainers: [init],
      containers: [main],
      ephemeralContainers: [{ ...aContainer('dbg') }],
    });
    const actions = plan([loose], [aSandbox(loose)], []);
    assert.deepEqual(summary(actions), ['start dbg #0', 'start setup #0']);
    assert.equal(started(actions)?.targetContainerId, undefined);
  });

  it('never starts one again once it ran, whatever it ended with (also after an agent restart)', () => {
    for (const exitCode of [0, 1, 137]) {
      const ended = aRuntimeContainer(pod, sandbox, debug, { state: 'EXITED', exitCode });
      assert.deepEqual(summary(plan([pod], [sandbox], [mainRunning, ended])), []);
    }
    const running = aRuntimeContainer(pod, sandbox, debug);
    assert.deepEqual(summary(plan([pod], [sandbox], [mainRunning, running])), []);
  });

  it('does not start one again in a new sandbox once its old instance is gone, if it started it', () => {
    const next = aSandbox(pod, { attempt: 1 });
    const mainAgain = aRuntimeContainer(pod, next, main);
    assert.deepEqual(summary(plan([pod], [next], [mainAgain])), ['start dbg #0']);
    const record = newPodRecord();
    record.ephemeralStarted = new Set(['dbg']);
    const records = new Map([[pod.metadata.uid!, record]]);
    assert.deepEqual(summary(plan([pod], [next], [mainAgain], { records })), []);
  });

  it('replaces one that was created but never started', () => {
    const created = aRuntimeContainer(pod, sandbox, debug, { state: 'CREATED', startedAt: 0 });
    const actions = plan([pod], [sandbox], [mainRunning, created]);
    assert.deepEqual(summary(actions), [`removeContainer ${created.id}`, 'start dbg #0']);
  });

  it('waits quietly for a target not started yet, and says why when the target has ended', () => {
    const starting = plan([pod], [sandbox], []);
    assert.deepEqual(summary(starting), ['start main #0']);
    const never = aPod('web', { containers: [main], ephemeralContainers: [debug], restartPolicy: 'Never' });
    const failed = aRuntimeContainer(never, sandbox, main, { state: 'EXITED', exitCode: 1 });
    const extra = aContainer('side');
    const withSide = { ...never, spec: { ...never.spec, containers: [main, extra] } };
    const side = aRuntimeContainer(withSide, sandbox, extra);
    const actions = plan([withSide], [sandbox], [failed, side]);
    assert.deepEqual(summary(actions), ['wait dbg CreateContainerError']);
  });

  it('pulls its image first when the gateway lacks it', () => {
    const other = { ...debug, image: 'docker.io/flotilla/tools:1' };
    const withTools = aPod('web', { containers: [main], ephemeralContainers: [other] });
    assert.deepEqual(summary(plan([withTools], [sandbox], [mainRunning], { images: [BUSYBOX] })), [
      'pull docker.io/flotilla/tools:1',
    ]);
  });
});
