// NodeResourcesLeastAllocated (kube's NodeResourcesFit scoring with the LeastAllocated
// strategy): prefer the node with the most cpu and memory left after placing the pod, each
// resource scored (allocatable - requested) * 100 / allocatable, weighted equally. Requests
// here are kube's "non-zero" requests, so pods that request nothing still spread.
import type { ScorePlugin } from '../framework.js';

function leastRequested(requested: number, allocatable: number): number {
  if (allocatable <= 0 || requested > allocatable) return 0;
  return Math.trunc(((allocatable - requested) * 100) / allocatable);
}

export const leastAllocatedScore: ScorePlugin = {
  name: 'NodeResourcesLeastAllocated',
  weight: 1,
  score: (pod, node) => {
    const cpu = leastRequested(
      node.nonZeroMilliCPU + pod.requests.nonZeroMilliCPU,
      node.allocatable.milliCPU,
    );
    const memory = leastRequested(node.nonZeroMemory + pod.requests.nonZeroMemory, node.allocatable.memory);
    return Math.trunc((cpu + memory) / 2);
  },
};
