// TaintToleration: NoSchedule and NoExecute taints the pod does not tolerate rule a node out;
// PreferNoSchedule taints it does not tolerate count against the node (fewer is better).
import { type FilterPlugin, normalizeToMax, type ScorePlugin } from '../framework.js';
import { firstUntoleratedTaint, tolerated, untoleratedTaintReason } from '../tolerations.js';
import type { Toleration } from '../types.js';

const hardEffects = ['NoSchedule', 'NoExecute'];

export const taintTolerationFilter: FilterPlugin = {
  name: 'TaintToleration',
  filter: (pod, node) => {
    if (node.taints.length === 0) return undefined;
    const taint = firstUntoleratedTaint(node.taints, pod.tolerations, hardEffects);
    return taint ? untoleratedTaintReason(taint) : undefined;
  },
};

export const taintTolerationScore: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  preScore: (pod, feasible, _snapshot, state) => {
    const anyPreferred = feasible.some((n) => n.taints.some((t) => t.effect === 'PreferNoSchedule'));
    if (!anyPreferred) return false;
    const soft = pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.set('TaintToleration', soft);
    return true;
  },
  score: (_pod, node, state) => {
    const soft = state.get('TaintToleration') as Toleration[];
    let count = 0;
    for (const taint of node.taints) {
      if (taint.effect === 'PreferNoSchedule' && !tolerated(soft, taint)) count++;
    }
    return count;
  },
  normalize: (scores) => normalizeToMax(scores, true),
};
