// ImageLocality: prefer nodes that already hold the pod's images, in proportion to the bytes a
// pull would save, damped for images that most nodes have anyway (kube's scaledImageScore:
// size × share of nodes holding it). The sum is clamped between 23 MiB (less is noise) and
// 1000 MiB per container, then mapped onto 0..100.
import type { ScorePlugin } from '../framework.js';

const mib = 1024 * 1024;
const minThreshold = 23 * mib;
const maxContainerThreshold = 1000 * mib;

interface ImageSpread {
  allNodes: number;
  holders: ReadonlyMap<string, number>;
}

export const imageLocalityScore: ScorePlugin = {
  name: 'ImageLocality',
  weight: 1,
  preScore: (pod, _feasible, snapshot, state) => {
    if (!pod.images.some((image) => snapshot.imageNodes.has(image))) return false;
    state.set('ImageLocality', { allNodes: snapshot.nodes().length, holders: snapshot.imageNodes });
    return true;
  },
  score: (pod, node, state) => {
    const { allNodes, holders } = state.get('ImageLocality') as ImageSpread;
    let sum = 0;
    for (const image of pod.images) {
      const size = node.images.get(image);
      if (size !== undefined) sum += Math.trunc(size * ((holders.get(image) ?? 1) / allNodes));
    }
    const max = maxContainerThreshold * Math.max(1, pod.images.length);
    const clamped = Math.min(max, Math.max(minThreshold, sum));
    return Math.trunc((100 * (clamped - minThreshold)) / (max - minThreshold));
  },
};
