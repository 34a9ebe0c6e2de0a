import assert from 'node:assert/strict';
import { interPodAffinityFilter } from '../../../hub/scheduler/plugins/inter-pod-affinity.js';
import { interPodAffinityScore } from '../../../hub/scheduler/plugins/inter-pod-affinity-score.js';
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
const host = 'kubernetes.io/hostname';

function term(labels: Record<string, string>, topologyKey: string, extra: object = {}) {
  return { labelSelector: { matchLabels: labels }, topologyKey, ...extra };
}

function withAffinity(pod: TestObject, kind: 'podAffinity' | 'podAntiAffinity', rules: object): TestObject {
  pod.spec.affinity = { ...pod.spec.affinity, [kind]: rules };
  return pod;
}

const required = (...terms: object[]) => ({ requiredDuringSchedulingIgnoredDuringExecution: terms });
const preferred = (weight: number, t: object) => ({
  preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: t }],
});

const nodes = () => [
  aReadyNode('a1', { labels: { [zone]: 'a' } }),
  aReadyNode('a2', { labels: { [zone]: 'a' } }),
  aReadyNode('b1', { labels: { [zone]: 'b' } }),
  aReadyNode('nozone'),
];
const fitting = (pod: TestObject, snapshot: ReturnType<typeof snapshotOf>) =>
  ['a1', 'a2', 'b1', 'nozone'].filter(
    (n) => verdictOn(interPodAffinityFilter, pod, snapshot, n) === undefined,
  );

describe('InterPodAffinity', () => {
  it('required affinity: only domains that already hold a selected pod', () => {
    const snapshot = snapshotOf(nodes(), [boundTo(aLabelledPod('cache', { app: 'cache' }), 'a1')]);
    const pod = withAffinity(
      aLabelledPod('web', { app: 'web' }),
      'podAffinity',
      required(term({ app: 'cache' }, zone)),
    );
    assert.deepEqual(fitting(pod, snapshot), ['a1', 'a2']);
    assert.equal(
      verdictOn(interPodAffinityFilter, pod, snapshot, 'b1'),
      "node(s) didn't match pod affinity rules",
    );
  });

  it('lets the first pod of a self-affine group go to any node with the topology key', () => {
    const snapshot = snapshotOf(nodes());
    const pod = withAffinity(
      aLabelledPod('web-0', { app: 'web' }),
      'podAffinity',
      required(term({ app: 'web' }, zone)),
    );
    assert.deepEqual(fitting(pod, snapshot), ['a1', 'a2', 'b1']);
  });

  it('required anti-affinity: no domain holding a selected pod', () => {
    const snapshot = snapshotOf(nodes(), [boundTo(aLabelledPod('web-0', { app: 'web' }), 'a1')]);
    const pod = withAffinity(
      aLabelledPod('web-1', { app: 'web' }),
      'podAntiAffinity',
      required(term({ app: 'web' }, zone)),
    );
    assert.deepEqual(fitting(pod, snapshot), ['b1', 'nozone']);
    assert.equal(
      verdictOn(interPodAffinityFilter, pod, snapshot, 'a2'),
      "node(s) didn't match pod anti-affinity rules",
    );
    const perHost = withAffinity(
      aLabelledPod('web-2', { app: 'web' }),
      'podAntiAffinity',
      required(term({ app: 'web' }, host)),
    );
    assert.deepEqual(fitting(perHost, snapshot), ['a2', 'b1', 'nozone']);
  });

  it("honours existing pods' anti-affinity towards the new pod", () => {
    const loner = withAffinity(
      aLabelledPod('loner'),
      'podAntiAffinity',
      required(term({ app: 'noisy' }, zone)),
    );
    const snapshot = snapshotOf(nodes(), [boundTo(loner, 'b1')]);
    const noisy = aLabelledPod('noisy', { app: 'noisy' });
    assert.deepEqual(fitting(noisy, snapshot), ['a1', 'a2', 'nozone']);
    assert.equal(
      verdictOn(interPodAffinityFilter, noisy, snapshot, 'b1'),
      "node(s) didn't satisfy existing pods anti-affinity rules",
    );
    assert.deepEqual(fitting(aLabelledPod('quiet', { app: 'quiet' }), snapshot), [
      'a1',
      'a2',
      'b1',
      'nozone',
    ]);
  });

  it('selects pods by namespaces and namespaceSelector', () => {
    const snapshot = snapshotOf(nodes(), [boundTo(aLabelledPod('db', { app: 'db' }, 'data'), 'b1')]);
    snapshot.setNamespace('data', { team: 'storage' });
    const sameNs = withAffinity(
      aLabelledPod('web', { app: 'web' }),
      'podAffinity',
      required(term({ app: 'db' }, zone)),
    );
    assert.deepEqual(fitting(sameNs, snapshot), []); // no db in "default", and the pod is no db itself
    const named = withAffinity(
      aLabelledPod('web', { app: 'web' }),
      'podAffinity',
      required(term({ app: 'db' }, zone, { namespaces: ['data'] })),
    );
    assert.deepEqual(fitting(named, snapshot), ['b1']);
    const bySelector = withAffinity(
      aLabelledPod('web2', { app: 'web' }),
      'podAffinity',
      required(term({ app: 'db' }, zone, { namespaceSelector: { matchLabels: { team: 'storage' } } })),
    );
    assert.deepEqual(fitting(bySelector, snapshot), ['b1']);
  });

  it('keeps its counts current as pods come and go', () => {
    const snapshot = snapshotOf(nodes());
    const pod = withAffinity(
      aLabelledPod('web-1', { app: 'web' }),
      'podAntiAffinity',
      required(term({ app: 'web' }, zone)),
    );
    assert.deepEqual(fitting(pod, snapshot), ['a1', 'a2', 'b1', 'nozone']);
    snapshot.upsertPod(boundTo(aLabelledPod('web-0', { app: 'web' }), 'b1'));
    assert.deepEqual(fitting(structuredClone(pod), snapshot), ['a1', 'a2', 'nozone']);
    snapshot.removePod('default/web-0');
    assert.deepEqual(fitting(structuredClone(pod), snapshot), ['a1', 'a2', 'b1', 'nozone']);
  });

  it('scores preferred affinity up and preferred anti-affinity down, per selected pod in the domain', () => {
    const snapshot = snapshotOf(nodes(), [
      boundTo(aLabelledPod('cache', { app: 'cache' }), 'a1'),
      boundTo(aLabelledPod('batch', { app: 'batch' }), 'b1'),
    ]);
    const pod = withAffinity(aLabelledPod('web'), 'podAffinity', preferred(50, term({ app: 'cache' }, zone)));
    withAffinity(pod, 'podAntiAffinity', preferred(100, term({ app: 'batch' }, zone)));
    // raw: a = +50, b = -100, nozone = 0 → min-max normalised
    assert.deepEqual(scoresOf(interPodAffinityScore, pod, snapshot), { a1: 100, a2: 100, b1: 0, nozone: 66 });
  });

  it("scores existing pods' preferences about the new pod", () => {
    const fan = withAffinity(aLabelledPod('fan'), 'podAffinity', preferred(20, term({ app: 'star' }, zone)));
    const snapshot = snapshotOf(nodes(), [boundTo(fan, 'b1')]);
    assert.deepEqual(scoresOf(interPodAffinityScore, aLabelledPod('star', { app: 'star' }), snapshot), {
      a1: 0,
      a2: 0,
      b1: 100,
      nozone: 0,
    });
  });
});
