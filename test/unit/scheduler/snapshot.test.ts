import assert from 'node:assert/strict';
import { PodMatchIndex } from '../../../hub/scheduler/pod-index.js';
import { podInfo } from '../../../hub/scheduler/pod-info.js';
import {
  aLabelledPod,
  aReadyNode,
  boundTo,
  requesting,
  snapshotOf,
} from '../../helpers/scheduler-builders.js';

const zone = 'topology.kubernetes.io/zone';

describe('ClusterSnapshot', () => {
  it('keeps per-node totals as pods are bound, updated and removed', () => {
    const snapshot = snapshotOf([aReadyNode('a')]);
    snapshot.upsertPod(boundTo(requesting(aLabelledPod('p1'), { cpu: '1', memory: '1Gi' }), 'a'));
    snapshot.upsertPod(boundTo(requesting(aLabelledPod('p2'), { cpu: '500m' }), 'a'));
    const node = snapshot.get('a')!;
    assert.equal(node.requested.milliCPU, 1500);
    assert.equal(node.pods.size, 2);
    snapshot.upsertPod(boundTo(requesting(aLabelledPod('p2'), { cpu: '250m' }), 'a'));
    assert.equal(node.requested.milliCPU, 1250);
    snapshot.removePod('default/p1');
    assert.equal(node.requested.milliCPU, 250);
    assert.equal(node.requested.memory, 0);
    assert.equal(node.nonZeroMemory, 200 * 2 ** 20);
  });

  it('replaces an assumed pod with its bound object instead of counting it twice', () => {
    const snapshot = snapshotOf([aReadyNode('a')]);
    const pod = requesting(aLabelledPod('web'), { cpu: '1' });
    snapshot.assume(podInfo(pod), 'a');
    assert.equal(snapshot.get('a')!.requested.milliCPU, 1000);
    snapshot.upsertPod(boundTo(structuredClone(pod), 'a'));
    assert.equal(snapshot.get('a')!.requested.milliCPU, 1000);
    assert.equal(snapshot.nodeOf('default/web'), 'a');
  });

  it('keeps pods of a node that goes away, and finds them again when it returns', () => {
    const snapshot = snapshotOf(
      [aReadyNode('a')],
      [boundTo(requesting(aLabelledPod('web'), { cpu: '1' }), 'a')],
    );
    snapshot.removeNode('a');
    assert.equal(snapshot.get('a'), undefined);
    assert.equal(snapshot.nodes().length, 0);
    snapshot.setNode(aReadyNode('a'));
    assert.equal(snapshot.get('a')!.requested.milliCPU, 1000);
  });

  it('counts how many nodes hold each image', () => {
    const withImage = (name: string) => {
      const node = aReadyNode(name);
      node.status.images = [{ names: ['nginx:1.27'], sizeBytes: 1 }];
      return node;
    };
    const snapshot = snapshotOf([withImage('a'), withImage('b'), aReadyNode('c')]);
    assert.equal(snapshot.imageNodes.get('nginx:1.27'), 2);
    snapshot.setNode(aReadyNode('a'));
    snapshot.removeNode('b');
    assert.equal(snapshot.imageNodes.has('nginx:1.27'), false);
  });

  it('interleaves zones so that a partial scan sees every zone', () => {
    const nodes = ['a1', 'a2', 'a3', 'b1', 'c1', 'c2'].map((n) =>
      aReadyNode(n, { labels: { [zone]: n[0]! } }),
    );
    assert.deepEqual(
      snapshotOf(nodes)
        .nodes()
        .map((n) => n.name),
      ['a1', 'b1', 'c1', 'a2', 'c2', 'a3'],
    );
  });
});

describe('PodMatchIndex', () => {
  it('stays equal to a fresh count through any sequence of adds and removes', () => {
    const snapshot = snapshotOf(['a', 'b', 'c'].map((n) => aReadyNode(n)));
    const isWeb = (p: { labels: Record<string, string> }) => p.labels.app === 'web';
    const predicate = { id: 'app=web', matches: isWeb };
    const anchored = { id: 'anchored app=web', requiredLabels: [['app', 'web']] as const, matches: isWeb };
    snapshot.matches.counts(predicate); // start maintaining both
    snapshot.matches.counts(anchored);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n); // high bits: an LCG's low bits cycle
    };
    for (let step = 0; step < 300; step++) {
      const name = `p${random(20)}`;
      if (random(3) === 0) snapshot.removePod(`default/${name}`);
      else {
        const app = random(2) ? 'web' : 'db';
        snapshot.upsertPod(boundTo(aLabelledPod(name, { app }), ['a', 'b', 'c'][random(3)]!));
      }
    }
    const fresh = [...new PodMatchIndex(() => snapshot.boundPods()).counts(predicate)].sort();
    assert.deepEqual([...snapshot.matches.counts(predicate)].sort(), fresh);
    assert.deepEqual([...snapshot.matches.counts(anchored)].sort(), fresh);
    assert.ok(fresh.length > 0);
  });

  it('drops the least recently used predicates past its limit', () => {
    let scans = 0;
    const index = new PodMatchIndex(() => {
      scans++;
      return [];
    }, 2);
    const p = (id: string) => ({ id, matches: () => true });
    index.counts(p('x'));
    index.counts(p('y'));
    index.counts(p('x'));
    index.counts(p('z')); // evicts y
    index.counts(p('x'));
    assert.equal(scans, 3);
    index.counts(p('y'));
    assert.equal(scans, 4);
  });
});
