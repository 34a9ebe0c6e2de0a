import assert from 'node:assert/strict';
import { podTopologySpreadFilter } from '../../../hub/scheduler/plugins/pod-topology-spread.js';
import { podTopologySpreadScore } from '../../../hub/scheduler/plugins/pod-topology-spread-score.js';
import type { TestObject } from '../../helpers/builders.js';
import {
  aLabelledPod,
  aReadyNode,
  boundTo,
  scoresOf,
  snapshotOf,
  verdictOn,
} from '../../helpers/scheduler-builders.js';

const zone = 'topology.kubernetes.io/zone';
const skewed = "node(s) didn't match pod topology spread constraints";

function spreading(name: string, constraint: object): TestObject {
  const pod = aLabelledPod(name, { app: 'web' });
  pod.spec.topologySpreadConstraints = [
    { maxSkew: 1, topologyKey: zone, labelSelector: { matchLabels: { app: 'web' } }, ...constraint },
  ];
  return pod;
}

const web = (name: string, node: string) => boundTo(aLabelledPod(name, { app: 'web' }), node);

describe('PodTopologySpread', () => {
  const nodes = () => [
    aReadyNode('a1', { labels: { [zone]: 'a' } }),
    aReadyNode('a2', { labels: { [zone]: 'a' } }),
    aReadyNode('b1', { labels: { [zone]: 'b' } }),
    aReadyNode('c1', { labels: { [zone]: 'c' } }),
    aReadyNode('nozone'),
  ];

  it('DoNotSchedule keeps the skew between zones within maxSkew', () => {
    const snapshot = snapshotOf(nodes(), [web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1')]);
    const pod = spreading('new', { whenUnsatisfiable: 'DoNotSchedule' });
    // Zones hold a: 2, b: 1, c: 0; placing the pod must leave (zone + 1) - 0 ≤ 1.
    assert.equal(verdictOn(podTopologySpreadFilter, pod, snapshot, 'a1'), skewed);
    assert.equal(verdictOn(podTopologySpreadFilter, pod, snapshot, 'b1'), skewed);
    assert.equal(verdictOn(podTopologySpreadFilter, pod, snapshot, 'c1'), undefined);
  });

  it('rejects nodes missing the topology key with its own reason', () => {
    const snapshot = snapshotOf(nodes());
    const pod = spreading('new', { whenUnsatisfiable: 'DoNotSchedule' });
    assert.equal(
      verdictOn(podTopologySpreadFilter, pod, snapshot, 'nozone'),
      `${skewed} (missing required label)`,
    );
  });

  it('counts only pods the selector picks in the same namespace, not terminating ones', () => {
    const other = boundTo(aLabelledPod('x', { app: 'web' }, 'other-ns'), 'c1');
    const leaving = web('leaving', 'c1');
    leaving.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    const db = boundTo(aLabelledPod('db', { app: 'db' }), 'c1');
    const snapshot = snapshotOf(nodes(), [web('w1', 'a1'), web('w2', 'b1'), other, leaving, db]);
    const pod = spreading('new', { whenUnsatisfiable: 'DoNotSchedule' });
    assert.equal(verdictOn(podTopologySpreadFilter, pod, snapshot, 'c1'), undefined);
    assert.equal(verdictOn(podTopologySpreadFilter, pod, snapshot, 'a1'), skewed);
  });

  it('treats the global minimum as 0 while fewer than minDomains domains exist', () => {
    const twoZones = nodes().filter((n) => n.metadata.name !== 'c1');
    const snapshot = snapshotOf(twoZones, [web('w1', 'a1'), web('w2', 'b1')]);
    const pod = spreading('new', { whenUnsatisfiable: 'DoNotSchedule', minDomains: 3 });
    assert.equal(verdictOn(podTopologySpreadFilter, pod, snapshot, 'a1'), skewed); // 1+1 - 0 > 1
    const relaxed = spreading('new', { whenUnsatisfiable: 'DoNotSchedule' });
    assert.equal(verdictOn(podTopologySpreadFilter, relaxed, snapshot, 'a1'), undefined); // 1+1 - 1
  });

  it('ignores nodes the pod could not run on when counting domains', () => {
    const snapshot = snapshotOf(nodes(), [web('w1', 'a1'), web('w2', 'b1')]);
    const pod = spreading('new', { whenUnsatisfiable: 'DoNotSchedule' });
    pod.spec.nodeSelector = { [zone]: 'a' };
    // Zone c is empty, but the pod may not go there, so it does not hold zone a back.
    assert.equal(verdictOn(podTopologySpreadFilter, pod, snapshot, 'a2'), undefined);
  });

  it('ScheduleAnyway scores emptier domains higher and ignores nodes without the key', () => {
    const snapshot = snapshotOf(nodes(), [web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1')]);
    const scores = scoresOf(
      podTopologySpreadScore,
      spreading('new', { whenUnsatisfiable: 'ScheduleAnyway' }),
      snapshot,
    );
    assert.equal(scores.nozone, 0);
    assert.equal(scores.c1, 100);
    assert.ok(scores.b1! > scores.a1!, JSON.stringify(scores));
    assert.equal(scores.a1, scores.a2);
  });
});
