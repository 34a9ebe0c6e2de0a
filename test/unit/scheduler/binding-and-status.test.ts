import assert from 'node:assert/strict';
import { ApiError } from '../../../api/errors.js';
import { assignToNode } from '../../../hub/apiserver/registry/pod-binding.js';
import { withUnschedulableCondition } from '../../../hub/scheduler/unschedulable-status.js';
import { aLabelledPod } from '../../helpers/scheduler-builders.js';

const now = new Date('2025-03-01T10:00:00.123Z');
const later = new Date('2025-03-01T10:05:00Z');

describe('assignToNode', () => {
  it('sets spec.nodeName and PodScheduled=True, as POST pods/binding does', () => {
    const pod = aLabelledPod('web');
    pod.status = { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] };
    const bound = assignToNode(pod, 'gw-1', now) as any;
    assert.equal(bound.spec.nodeName, 'gw-1');
    assert.deepEqual(bound.status.conditions, [
      {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2025-03-01T10:00:00Z',
      },
    ]);
  });

  it('refuses pods already bound, being deleted, or replaced under the same name', () => {
    const conflict = (fn: () => unknown, message: string) =>
      assert.throws(
        fn,
        (err: unknown) =>
          err instanceof ApiError && err.reason === 'Conflict' && err.message.endsWith(message),
      );
    const bound = aLabelledPod('web');
    bound.spec.nodeName = 'gw-2';
    conflict(() => assignToNode(bound, 'gw-1', now), 'pod web is already assigned to node "gw-2"');
    const deleting = aLabelledPod('web');
    deleting.metadata.deletionTimestamp = '2025-03-01T09:00:00Z';
    conflict(() => assignToNode(deleting, 'gw-1', now), 'pod is being deleted, cannot be assigned to a host');
    conflict(
      () => assignToNode(aLabelledPod('web'), 'gw-1', now, 'other-uid'),
      'UID in object meta: uid-default-web',
    );
  });
});

describe('withUnschedulableCondition', () => {
  const message = '0/1 nodes are available: 1 Insufficient cpu.';

  it('sets PodScheduled=False with reason Unschedulable and the message', () => {
    const pod = withUnschedulableCondition(aLabelledPod('web'), message, now)!;
    assert.deepEqual(pod.status?.conditions, [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
        lastProbeTime: null,
        lastTransitionTime: '2025-03-01T10:00:00Z',
      },
    ]);
  });

  it('writes nothing when the condition already says so, and keeps the transition time on a new message', () => {
    const once = withUnschedulableCondition(aLabelledPod('web'), message, now)!;
    assert.equal(withUnschedulableCondition(once, message, later), undefined);
    const changed = withUnschedulableCondition(once, '0/2 nodes are available: 2 Insufficient cpu.', later)!;
    assert.equal(changed.status?.conditions?.[0]?.lastTransitionTime, '2025-03-01T10:00:00Z');
  });

  it('leaves a pod that got bound meanwhile alone', () => {
    const pod = aLabelledPod('web');
    pod.spec.nodeName = 'gw-1';
    assert.equal(withUnschedulableCondition(pod, message, now), undefined);
  });
});
