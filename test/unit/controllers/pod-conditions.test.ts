import assert from 'node:assert/strict';
import {
  isPodActive,
  isPodAvailable,
  isPodReady,
  msUntilAvailable,
} from '../../../hub/controllers/objects/pod-conditions.js';
import { aPodOf, at, t0 } from './workload-builders.js';

describe('pod conditions', () => {
  it('makes a pod available only once it has been ready for more than minReadySeconds', () => {
    const pod = aPodOf('web', { readySince: 0 });
    const boundary = new Date(t0 + 30_000);
    assert.equal(isPodAvailable(pod, 30, boundary), false, 'exactly minReadySeconds is not enough');
    assert.equal(msUntilAvailable(pod, 30, boundary), 1);
    assert.equal(isPodAvailable(pod, 30, new Date(t0 + 30_001)), true);
    assert.equal(msUntilAvailable(pod, 30, new Date(t0 + 30_001)), undefined);
    assert.equal(isPodAvailable(pod, 0, new Date(t0)), true, 'minReadySeconds 0: ready is available');
  });

  it('reads the first Ready condition, as podutil.GetPodCondition does', () => {
    const pod = aPodOf('web');
    pod.status!.conditions = [
      { type: 'Ready', status: 'False', lastTransitionTime: at(0) },
      { type: 'Ready', status: 'True', lastTransitionTime: at(0) },
    ];
    assert.equal(isPodReady(pod), false);
  });

  it('counts a pod active until it finishes or starts being deleted', () => {
    assert.equal(isPodActive(aPodOf('running', { readySince: 0 })), true);
    assert.equal(isPodActive(aPodOf('done', { phase: 'Succeeded' })), false);
    const deleting = aPodOf('deleting', { readySince: 0 });
    deleting.metadata.deletionTimestamp = at(1);
    assert.equal(isPodActive(deleting), false);
  });
});
