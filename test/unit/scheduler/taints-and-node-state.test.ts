import assert from 'node:assert/strict';
import { nodeNameFilter } from '../../../hub/scheduler/plugins/node-name.js';
import { nodeReadinessFilter } from '../../../hub/scheduler/plugins/node-readiness.js';
import { nodeUnschedulableFilter } from '../../../hub/scheduler/plugins/node-unschedulable.js';
import {
  taintTolerationFilter,
  taintTolerationScore,
} from '../../../hub/scheduler/plugins/taint-toleration.js';
import { toleratesTaint } from '../../../hub/scheduler/tolerations.js';
import {
  aLabelledPod,
  aReadyNode,
  scoresOf,
  snapshotOf,
  verdictOn,
} from '../../helpers/scheduler-builders.js';

describe('NodeName', () => {
  it('passes every node for a pod without spec.nodeName, and only that node otherwise', () => {
    const snapshot = snapshotOf([aReadyNode('a'), aReadyNode('b')]);
    assert.equal(verdictOn(nodeNameFilter, aLabelledPod('web'), snapshot, 'a'), undefined);
    const pinned = aLabelledPod('web');
    pinned.spec.nodeName = 'b';
    assert.equal(
      verdictOn(nodeNameFilter, pinned, snapshot, 'a'),
      "node(s) didn't match the requested node name",
    );
    assert.equal(verdictOn(nodeNameFilter, pinned, snapshot, 'b'), undefined);
  });
});

describe('NodeUnschedulable', () => {
  it('rejects a cordoned node unless the pod tolerates node.kubernetes.io/unschedulable', () => {
    const cordoned = aReadyNode('a');
    cordoned.spec.unschedulable = true;
    const snapshot = snapshotOf([cordoned]);
    assert.equal(
      verdictOn(nodeUnschedulableFilter, aLabelledPod('web'), snapshot, 'a'),
      'node(s) were unschedulable',
    );
    const daemon = aLabelledPod('agent');
    daemon.spec.tolerations = [
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ];
    assert.equal(verdictOn(nodeUnschedulableFilter, daemon, snapshot, 'a'), undefined);
  });
});

describe('NodeReadiness', () => {
  const reason = (key: string) => `node(s) had untolerated taint {${key}: }`;

  it('rejects NotReady as not-ready, Unknown as unreachable, and a node that never reported as not-ready', () => {
    const snapshot = snapshotOf([
      aReadyNode('ready'),
      aReadyNode('false', { ready: 'False' }),
      aReadyNode('unknown', { ready: 'Unknown' }),
      aReadyNode('silent', { ready: 'absent' }),
    ]);
    const pod = aLabelledPod('web');
    assert.equal(verdictOn(nodeReadinessFilter, pod, snapshot, 'ready'), undefined);
    assert.equal(
      verdictOn(nodeReadinessFilter, pod, snapshot, 'false'),
      reason('node.kubernetes.io/not-ready'),
    );
    assert.equal(
      verdictOn(nodeReadinessFilter, pod, snapshot, 'unknown'),
      reason('node.kubernetes.io/unreachable'),
    );
    assert.equal(
      verdictOn(nodeReadinessFilter, pod, snapshot, 'silent'),
      reason('node.kubernetes.io/not-ready'),
    );
  });

  it('leaves the judgement to TaintToleration when the node already carries the taint', () => {
    const tainted = aReadyNode('a', {
      ready: 'False',
      taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }],
    });
    const snapshot = snapshotOf([tainted]);
    const pod = aLabelledPod('web');
    pod.spec.tolerations = [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }];
    assert.equal(verdictOn(nodeReadinessFilter, pod, snapshot, 'a'), undefined);
    assert.equal(verdictOn(taintTolerationFilter, pod, snapshot, 'a'), undefined);
  });
});

describe('TaintToleration', () => {
  it('matches tolerations by key, operator, value and effect', () => {
    const taint = { key: 'site', value: 'north', effect: 'NoSchedule' };
    assert.ok(
      toleratesTaint({ key: 'site', operator: 'Equal', value: 'north', effect: 'NoSchedule' }, taint),
    );
    assert.ok(toleratesTaint({ key: 'site', value: 'north' }, taint)); // operator defaults to Equal, any effect
    assert.ok(toleratesTaint({ key: 'site', operator: 'Exists' }, taint));
    assert.ok(toleratesTaint({ operator: 'Exists' }, taint)); // empty key + Exists tolerates everything
    assert.ok(!toleratesTaint({ key: 'site', value: 'south' }, taint));
    assert.ok(!toleratesTaint({ key: 'site', operator: 'Exists', effect: 'NoExecute' }, taint));
  });

  it('rejects the first untolerated NoSchedule or NoExecute taint, with its key and value', () => {
    const node = aReadyNode('a', {
      taints: [
        { key: 'soft', effect: 'PreferNoSchedule' },
        { key: 'dedicated', value: 'cameras', effect: 'NoSchedule' },
        { key: 'maintenance', effect: 'NoExecute' },
      ],
    });
    const snapshot = snapshotOf([node]);
    const pod = aLabelledPod('web');
    assert.equal(
      verdictOn(taintTolerationFilter, pod, snapshot, 'a'),
      'node(s) had untolerated taint {dedicated: cameras}',
    );
    pod.spec.tolerations = [{ key: 'dedicated', value: 'cameras', effect: 'NoSchedule' }];
    const tolerating = structuredClone(pod);
    assert.equal(
      verdictOn(taintTolerationFilter, tolerating, snapshot, 'a'),
      'node(s) had untolerated taint {maintenance: }',
    );
  });

  it('scores nodes with fewer untolerated PreferNoSchedule taints higher', () => {
    const soft = (key: string) => ({ key, effect: 'PreferNoSchedule' });
    const snapshot = snapshotOf([
      aReadyNode('clean'),
      aReadyNode('one', { taints: [soft('x')] }),
      aReadyNode('two', { taints: [soft('x'), soft('y')] }),
    ]);
    assert.deepEqual(scoresOf(taintTolerationScore, aLabelledPod('web'), snapshot), {
      clean: 100,
      one: 50,
      two: 0,
    });
    const pod = aLabelledPod('web');
    pod.spec.tolerations = [{ key: 'y', operator: 'Exists', effect: 'PreferNoSchedule' }];
    assert.deepEqual(scoresOf(taintTolerationScore, pod, snapshot), { clean: 100, one: 0, two: 0 });
  });
});
