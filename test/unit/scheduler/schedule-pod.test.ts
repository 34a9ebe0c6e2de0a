import assert from 'node:assert/strict';
import { defaultPlugins } from '../../../hub/scheduler/plugins/default-plugins.js';
import { podInfo } from '../../../hub/scheduler/pod-info.js';
import { feasibleNodesToFind, schedulePod } from '../../../hub/scheduler/schedule-pod.js';
import { ClusterSnapshot } from '../../../hub/scheduler/snapshot.js';
import {
  aLabelledPod,
  aReadyNode,
  boundTo,
  requesting,
  snapshotOf,
} from '../../helpers/scheduler-builders.js';

const unreachable = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }];

describe('schedulePod', () => {
  it('places a pod on the only node that fits', () => {
    const snapshot = snapshotOf([aReadyNode('small', { cpu: '1' }), aReadyNode('big', { cpu: '8' })]);
    const result = schedulePod(requesting(aLabelledPod('web'), { cpu: '2' }), snapshot, defaultPlugins);
    assert.deepEqual(result, { nodeName: 'big', evaluatedNodes: 2, feasibleNodes: 1 });
  });

  it("explains an unschedulable pod in kube-scheduler's words, reasons sorted as strings", () => {
    const nodes = [
      aReadyNode('a', { cpu: '1' }),
      aReadyNode('b', { cpu: '1' }),
      aReadyNode('c', { cpu: '1' }),
      aReadyNode('d', { taints: unreachable }),
      aReadyNode('e', { taints: unreachable }),
    ];
    const result = schedulePod(
      requesting(aLabelledPod('web'), { cpu: '2' }),
      snapshotOf(nodes),
      defaultPlugins,
    );
    assert.ok('unschedulable' in result);
    assert.equal(
      result.unschedulable,
      '0/5 nodes are available: 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 Insufficient cpu.',
    );
    assert.deepEqual(result.reasons, {
      'Insufficient cpu': 3,
      'node(s) had untolerated taint {node.kubernetes.io/unreachable: }': 2,
    });
  });

  it('counts every short resource of a node, and sorts "10 …" before "2 …" as kube does', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => aReadyNode(`n${i}`, { cpu: '1', memory: '1Gi' }));
    nodes.push(aReadyNode('cordoned'), aReadyNode('cordoned-2'));
    nodes.at(-1)!.spec.unschedulable = true;
    nodes.at(-2)!.spec.unschedulable = true;
    const pod = requesting(aLabelledPod('web'), { cpu: '2', memory: '2Gi' });
    const result = schedulePod(pod, snapshotOf(nodes), defaultPlugins);
    assert.ok('unschedulable' in result);
    assert.equal(
      result.unschedulable,
      '0/12 nodes are available: 10 Insufficient cpu, 10 Insufficient memory, 2 node(s) were unschedulable.',
    );
  });

  it('reports a cluster without nodes as kube does', () => {
    const result = schedulePod(aLabelledPod('web'), new ClusterSnapshot(), defaultPlugins);
    assert.deepEqual(result, {
      unschedulable: 'no nodes available to schedule pods',
      reasons: {},
      evaluatedNodes: 0,
    });
  });

  it('treats a node whose Ready condition is not True as tainted, unless the pod tolerates it', () => {
    const snapshot = snapshotOf([
      aReadyNode('down', { ready: 'Unknown' }),
      aReadyNode('new', { ready: 'absent' }),
    ]);
    const result = schedulePod(aLabelledPod('web'), snapshot, defaultPlugins);
    assert.ok('unschedulable' in result);
    assert.equal(
      result.unschedulable,
      '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, ' +
        '1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.',
    );
    const tolerant = aLabelledPod('agent');
    tolerant.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }];
    assert.equal((schedulePod(tolerant, snapshot, defaultPlugins) as { nodeName: string }).nodeName, 'down');
  });

  it('never overbooks a node: assumed pods count at once', () => {
    const snapshot = snapshotOf([aReadyNode('a', { cpu: '2' }), aReadyNode('b', { cpu: '2' })]);
    const placed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const pod = requesting(aLabelledPod(`p${i}`), { cpu: '1' });
      const result = schedulePod(pod, snapshot, defaultPlugins);
      if (!('nodeName' in result)) {
        assert.equal(result.unschedulable, '0/2 nodes are available: 2 Insufficient cpu.');
        continue;
      }
      placed.push(result.nodeName);
      snapshot.assume(podInfo(pod), result.nodeName);
    }
    assert.deepEqual(placed.sort(), ['a', 'a', 'b', 'b']);
  });

  it('spreads request-less pods by least allocation', () => {
    const snapshot = snapshotOf(
      [aReadyNode('busy'), aReadyNode('idle')],
      [boundTo(requesting(aLabelledPod('hog'), { cpu: '3', memory: '6Gi' }), 'busy')],
    );
    assert.equal(
      (schedulePod(aLabelledPod('web'), snapshot, defaultPlugins) as { nodeName: string }).nodeName,
      'idle',
    );
  });

  it('breaks ties at random among the best nodes', () => {
    const snapshot = snapshotOf([aReadyNode('a'), aReadyNode('b'), aReadyNode('c')]);
    const pick = (r: number) =>
      (
        schedulePod(aLabelledPod('web'), snapshot, defaultPlugins, { random: () => r }) as {
          nodeName: string;
        }
      ).nodeName;
    assert.equal(pick(0.99), 'a');
    assert.equal(pick(0), 'c');
  });

  it('reports nodes left out by a pin to node names', () => {
    const pod = aLabelledPod('web');
    pod.spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }],
        },
      },
    };
    const snapshot = snapshotOf([aReadyNode('a'), aReadyNode('b', { cpu: '100m' }), aReadyNode('c')]);
    assert.equal((schedulePod(pod, snapshot, defaultPlugins) as { nodeName: string }).nodeName, 'b');
    requesting(pod, { cpu: '1' });
    const result = schedulePod(structuredClone(pod), snapshot, defaultPlugins);
    assert.ok('unschedulable' in result);
    assert.equal(
      result.unschedulable,
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
    pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values =
      [];
    const nowhere = schedulePod(structuredClone(pod), snapshot, defaultPlugins);
    assert.ok('unschedulable' in nowhere);
    assert.equal(
      nowhere.unschedulable,
      "0/3 nodes are available: node(s) didn't satisfy plugin NodeAffinity.",
    );
  });
});

describe('percentageOfNodesToScore', () => {
  it('looks at every node below 100 and scales down adaptively above', () => {
    assert.equal(feasibleNodesToFind(50), 50);
    assert.equal(feasibleNodesToFind(100), 100); // 50%, but at least 100
    assert.equal(feasibleNodesToFind(1000), 420); // 50 - 1000/125 = 42%
    assert.equal(feasibleNodesToFind(5000), 500); // 50 - 40 = 10%
    assert.equal(feasibleNodesToFind(10_000), 500); // floor of 5%
    assert.equal(feasibleNodesToFind(1000, 5), 100); // never fewer than 100
    assert.equal(feasibleNodesToFind(1000, 100), 1000);
  });

  it('stops filtering once enough nodes fit, starting where it is told', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => aReadyNode(`n${String(i).padStart(3, '0')}`));
    const snapshot = snapshotOf(nodes);
    const result = schedulePod(aLabelledPod('web'), snapshot, defaultPlugins, {
      percentageOfNodesToScore: 10,
      startIndex: 250,
    });
    assert.ok('nodeName' in result);
    assert.equal(result.evaluatedNodes, 100);
    assert.equal(result.feasibleNodes, 100);
    const index = Number(result.nodeName.slice(1));
    assert.ok(index >= 250 || index < 50, `${result.nodeName} is outside the rotated window`);
  });
});
