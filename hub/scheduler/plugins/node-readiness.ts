// NodeReadiness: a node whose Ready condition is not True takes no new pods. Kubernetes does
// this through taints the node lifecycle controller sets (node.kubernetes.io/not-ready,
// node.kubernetes.io/unreachable); until Flotilla's controller has set one, NodeInfo derives
// the same taint from the condition (see readinessTaint) and this plugin enforces it with
// TaintToleration's wording, so the message is the same either way. A pod that tolerates the
// taint with effect NoSchedule (or any effect) may still land there.
import type { FilterPlugin } from '../framework.js';
import { tolerated, untoleratedTaintReason } from '../tolerations.js';

export const nodeReadinessFilter: FilterPlugin = {
  name: 'NodeReadiness',
  filter: (pod, node) => {
    const taint = node.conditionTaint;
    return taint && !tolerated(pod.tolerations, taint) ? untoleratedTaintReason(taint) : undefined;
  },
};
