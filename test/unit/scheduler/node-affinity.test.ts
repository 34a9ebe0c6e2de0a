import assert from 'node:assert/strict';
import { nodeAffinityFilter, nodeAffinityScore } from '../../../hub/scheduler/plugins/node-affinity.js';
import type { TestObject } from '../../helpers/builders.js';
import {
  aLabelledPod,
  aReadyNode,
  scoresOf,
  snapshotOf,
  verdictOn,
} from '../../helpers/scheduler-builders.js';

const mismatch = "node(s) didn't match Pod's node affinity/selector";

function requiring(...terms: object[]): TestObject {
  const pod = aLabelledPod('web');
  pod.spec.affinity = {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
  };
  return pod;
}

const expr = (key: string, operator: string, values?: string[]) => ({
  matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
});

describe('NodeAffinity', () => {
  const snapshot = snapshotOf([
    aReadyNode('pi', { labels: { 'kubernetes.io/arch': 'arm64', site: 'north', cores: '4' } }),
    aReadyNode('nuc', { labels: { 'kubernetes.io/arch': 'amd64', site: 'south', cores: '8', gpu: '' } }),
  ]);
  const fits = (pod: TestObject) =>
    ['pi', 'nuc'].filter((n) => verdictOn(nodeAffinityFilter, pod, snapshot, n) === undefined);

  it('requires every nodeSelector label', () => {
    const pod = aLabelledPod('web');
    pod.spec.nodeSelector = { 'kubernetes.io/arch': 'arm64', site: 'north' };
    assert.deepEqual(fits(pod), ['pi']);
    pod.spec.nodeSelector.site = 'south';
    assert.deepEqual(fits(structuredClone(pod)), []);
    assert.equal(verdictOn(nodeAffinityFilter, structuredClone(pod), snapshot, 'pi'), mismatch);
  });

  it('follows a node relabelled, added or removed after pods with the same selector were filtered', () => {
    const live = snapshotOf([aReadyNode('a', { labels: { site: 'north' } })]);
    const pod = () => {
      const p = aLabelledPod('web');
      p.spec.nodeSelector = { site: 'north' };
      return p;
    };
    assert.equal(verdictOn(nodeAffinityFilter, pod(), live, 'a'), undefined);
    live.setNode(aReadyNode('a', { labels: { site: 'south' } }) as never);
    assert.equal(verdictOn(nodeAffinityFilter, pod(), live, 'a'), mismatch);
    live.setNode(aReadyNode('b', { labels: { site: 'north' } }) as never);
    assert.equal(verdictOn(nodeAffinityFilter, pod(), live, 'b'), undefined);
    live.removeNode('b');
    live.setNode(aReadyNode('b', { labels: { site: 'east' } }) as never);
    assert.equal(verdictOn(nodeAffinityFilter, pod(), live, 'b'), mismatch);
  });

  it('supports In, NotIn, Exists, DoesNotExist, Gt and Lt', () => {
    assert.deepEqual(fits(requiring(expr('site', 'In', ['south', 'east']))), ['nuc']);
    assert.deepEqual(fits(requiring(expr('site', 'NotIn', ['south']))), ['pi']);
    assert.deepEqual(fits(requiring(expr('gpu', 'Exists'))), ['nuc']);
    assert.deepEqual(fits(requiring(expr('gpu', 'DoesNotExist'))), ['pi']);
    assert.deepEqual(fits(requiring(expr('cores', 'Gt', ['4']))), ['nuc']);
    assert.deepEqual(fits(requiring(expr('cores', 'Lt', ['8']))), ['pi']);
    assert.deepEqual(fits(requiring(expr('cores', 'Gt', ['four']))), []);
  });

  it('ORs terms, ANDs requirements within a term, and matches nothing with an empty term', () => {
    assert.deepEqual(fits(requiring(expr('site', 'In', ['north']), expr('gpu', 'Exists'))), ['pi', 'nuc']);
    const both = {
      matchExpressions: [
        ...expr('site', 'In', ['north']).matchExpressions,
        ...expr('gpu', 'Exists').matchExpressions,
      ],
    };
    assert.deepEqual(fits(requiring(both)), []);
    assert.deepEqual(fits(requiring({})), []);
  });

  it('pins pods to node names through matchFields metadata.name', () => {
    const pod = requiring({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['nuc'] }] });
    assert.deepEqual(fits(pod), ['nuc']);
    assert.deepEqual(
      fits(requiring({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['nuc'] }] })),
      ['pi'],
    );
  });

  it('scores the summed weights of matching preferred terms, best node 100', () => {
    const pod = aLabelledPod('web');
    pod.spec.affinity = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, preference: expr('site', 'In', ['north']) },
          { weight: 30, preference: expr('gpu', 'Exists') },
          { weight: 10, preference: expr('cores', 'Gt', ['2']) },
        ],
      },
    };
    assert.deepEqual(scoresOf(nodeAffinityScore, pod, snapshot), { pi: 50, nuc: 100 });
    assert.deepEqual(scoresOf(nodeAffinityScore, aLabelledPod('plain'), snapshot), { pi: 0, nuc: 0 });
  });
});
