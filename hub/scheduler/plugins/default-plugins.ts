// The default plugin set, in kube's default-profile order for filters (cheap, decisive checks
// first; the first failing filter names the reason) and with kube's default score weights.
import type { Plugins } from '../framework.js';
import { balancedAllocationScore } from './balanced-allocation.js';
import { imageArchitectureFilter } from './image-architecture.js';
import { imageLocalityScore } from './image-locality.js';
import { interPodAffinityFilter } from './inter-pod-affinity.js';
import { interPodAffinityScore } from './inter-pod-affinity-score.js';
import { leastAllocatedScore } from './least-allocated.js';
import { nodeAffinityFilter, nodeAffinityScore } from './node-affinity.js';
import { nodeNameFilter } from './node-name.js';
import { nodePortsFilter } from './node-ports.js';
import { nodeReadinessFilter } from './node-readiness.js';
import { nodeResourcesFitFilter } from './node-resources-fit.js';
import { nodeUnschedulableFilter } from './node-unschedulable.js';
import { podTopologySpreadFilter } from './pod-topology-spread.js';
import { podTopologySpreadScore } from './pod-topology-spread-score.js';
import { taintTolerationFilter, taintTolerationScore } from './taint-toleration.js';

export const defaultPlugins: Plugins = {
  filters: [
    nodeUnschedulableFilter,
    nodeNameFilter,
    taintTolerationFilter,
    nodeReadinessFilter,
    nodeAffinityFilter,
    imageArchitectureFilter,
    nodePortsFilter,
    nodeResourcesFitFilter,
    podTopologySpreadFilter,
    interPodAffinityFilter,
  ],
  scores: [
    taintTolerationScore,
    nodeAffinityScore,
    podTopologySpreadScore,
    interPodAffinityScore,
    leastAllocatedScore,
    balancedAllocationScore,
    imageLocalityScore,
  ],
};
