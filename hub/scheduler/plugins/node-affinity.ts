// NodeAffinity: spec.nodeSelector and required node affinity decide which nodes qualify (a pod
// pinned by `matchFields metadata.name` is only checked against those nodes); preferred node
// affinity adds the weight of every matching term, scaled so the best node scores 100.
import { type FilterPlugin, normalizeToMax, type ScorePlugin } from '../framework.js';
import {
  type NodeMatcher,
  type NodeView,
  pinnedNodeNames,
  requiredNodeMatcher,
  termMatches,
} from '../node-selection.js';
import type { NodeSelectorTerm } from '../types.js';

export const nodeAffinityReason = "node(s) didn't match Pod's node affinity/selector";

export const nodeAffinityFilter: FilterPlugin = {
  name: 'NodeAffinity',
  preFilter: (pod, snapshot, state) => {
    const spec = pod.pod.spec ?? {};
    const matcher = requiredNodeMatcher(spec);
    if (!matcher) return { skip: true };
    // Which nodes qualify depends only on the nodes' names and labels: worked out once per
    // selector until a node is added, removed or relabelled, not for every node of every pod.
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const key = `NodeAffinity|${JSON.stringify([spec.nodeSelector ?? {}, required ?? null])}`;
    const qualifying = snapshot.memoizeForNodes(key, () => qualifyingNodes(snapshot.nodes(), matcher));
    state.set('NodeAffinity', qualifying);
    const pinned = pinnedNodeNames(spec);
    return pinned ? { nodeNames: pinned } : undefined;
  },
  filter: (_pod, node, state) =>
    (state.get('NodeAffinity') as Set<string>).has(node.name) ? undefined : nodeAffinityReason,
};

function qualifyingNodes(nodes: readonly NodeView[], matcher: NodeMatcher): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) if (matcher(node)) names.add(node.name);
  return names;
}

type Preferred = { weight: number; preference: NodeSelectorTerm }[];

export const nodeAffinityScore: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  preScore: (pod, _feasible, _snapshot, state) => {
    const preferred = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!preferred || preferred.length === 0) return false;
    state.set('NodeAffinity/preferred', preferred);
    return true;
  },
  score: (_pod, node, state) => {
    let total = 0;
    for (const { weight, preference } of state.get('NodeAffinity/preferred') as Preferred) {
      if (weight !== 0 && termMatches(preference, node)) total += weight;
    }
    return total;
  },
  normalize: (scores) => normalizeToMax(scores, false),
};
