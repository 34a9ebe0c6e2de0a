import assert from 'node:assert/strict';
import {
  imageArchitectureFilter,
  parsePlatforms,
} from '../../../hub/scheduler/plugins/image-architecture.js';
import { imageLocalityScore } from '../../../hub/scheduler/plugins/image-locality.js';
import {
  aLabelledPod,
  aReadyNode,
  scoresOf,
  snapshotOf,
  verdictOn,
} from '../../helpers/scheduler-builders.js';

const wrongArch = "node(s) didn't match the architectures the pod's images are built for";

describe('ImageArchitecture', () => {
  const snapshot = snapshotOf([
    aReadyNode('pi4', { labels: { 'kubernetes.io/arch': 'arm64', 'kubernetes.io/os': 'linux' } }),
    aReadyNode('pi2', { labels: { 'kubernetes.io/arch': 'arm', 'kubernetes.io/os': 'linux' } }),
    aReadyNode('nuc', { labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' } }),
    aReadyNode('mystery'),
  ]);
  const fits = (annotation: string) => {
    const pod = aLabelledPod('web');
    pod.metadata.annotations = { 'flotilla.io/arch': annotation };
    return ['pi4', 'pi2', 'nuc', 'mystery'].filter(
      (n) => verdictOn(imageArchitectureFilter, pod, snapshot, n) === undefined,
    );
  };

  it('lets every node through for pods without the annotation', () => {
    assert.equal(verdictOn(imageArchitectureFilter, aLabelledPod('web'), snapshot, 'mystery'), undefined);
  });

  it('keeps only nodes whose kubernetes.io/arch is listed, never nodes without the label', () => {
    assert.deepEqual(fits('arm64'), ['pi4']);
    assert.deepEqual(fits('arm64, amd64'), ['pi4', 'nuc']);
    const pod = aLabelledPod('web');
    pod.metadata.annotations = { 'flotilla.io/arch': 'amd64' };
    assert.equal(verdictOn(imageArchitectureFilter, pod, snapshot, 'mystery'), wrongArch);
  });

  it('understands OCI platforms and common aliases', () => {
    assert.deepEqual(fits('linux/arm/v7'), ['pi2']);
    assert.deepEqual(fits('armv7,x86_64'), ['pi2', 'nuc']);
    assert.deepEqual(fits('aarch64'), ['pi4']);
    assert.deepEqual(fits('windows/amd64'), []);
    assert.deepEqual(parsePlatforms('linux/arm64, arm/v7'), [
      { os: 'linux', arch: 'arm64' },
      { os: undefined, arch: 'arm' },
    ]);
  });
});

describe('ImageLocality', () => {
  const withImages = (name: string, images: { names: string[]; sizeBytes: number }[]) => {
    const node = aReadyNode(name);
    node.status.images = images;
    return node;
  };
  const mib = 2 ** 20;

  it('prefers nodes that hold big images, damped by how many nodes hold them', () => {
    const snapshot = snapshotOf([
      withImages('has-both', [
        { names: ['registry.local/app:1.0'], sizeBytes: 500 * mib },
        { names: ['busybox:latest'], sizeBytes: 5 * mib },
      ]),
      withImages('has-small', [{ names: ['busybox:latest'], sizeBytes: 5 * mib }]),
      withImages('has-none', []),
    ]);
    const pod = aLabelledPod('web');
    pod.spec.containers = [
      { name: 'app', image: 'registry.local/app:1.0' },
      { name: 'tool', image: 'busybox' },
    ];
    // has-both: 500Mi × 1/3 + 5Mi × 2/3 ≈ 170Mi of a 23Mi..2000Mi range.
    assert.deepEqual(scoresOf(imageLocalityScore, pod, snapshot), {
      'has-both': 7,
      'has-small': 0,
      'has-none': 0,
    });
  });

  it('skips pods whose images no node holds', () => {
    const snapshot = snapshotOf([withImages('a', [{ names: ['nginx:1.27'], sizeBytes: 100 * mib }])]);
    const pod = aLabelledPod('web');
    pod.spec.containers = [{ name: 'app', image: 'other:1' }];
    assert.deepEqual(scoresOf(imageLocalityScore, pod, snapshot), { a: 0 });
  });
});
