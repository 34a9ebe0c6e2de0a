// NodeResourcesBalancedAllocation: prefer nodes where cpu and memory would be used in similar
// proportions after placing the pod, so neither is stranded: score = (1 - standard deviation
// of the used fractions) * 100, as kube's balancedResourceScorer. Pods that request neither
// resource do not move this score (kube's PreScore skip).
import type { ScorePlugin } from '../framework.js';

function fraction(requested: number, allocatable: number): number | undefined {
  if (allocatable <= 0) return undefined;
  return Math.min(1, requested / allocatable);
}

export const balancedAllocationScore: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  preScore: (pod) => pod.requests.requests.milliCPU > 0 || pod.requests.requests.memory > 0,
  score: (pod, node) => {
    const want = pod.requests.requests;
    const cpu = fraction(node.requested.milliCPU + want.milliCPU, node.allocatable.milliCPU);
    const memory = fraction(node.requested.memory + want.memory, node.allocatable.memory);
    // With two resources the standard deviation is half their difference.
    const deviation = cpu === undefined || memory === undefined ? 0 : Math.abs(cpu - memory) / 2;
    return Math.trunc((1 - deviation) * 100);
  },
};
