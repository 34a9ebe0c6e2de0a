// InterPodAffinity, score half: a node earns, per topology domain it belongs to, the weights of
// the pod's preferred affinity terms for every selected pod in that domain (minus those of its
// preferred anti-affinity terms), plus what existing pods' terms say about this pod — their
// required affinity at weight 1 (kube's hardPodAffinityWeight), their preferred terms at their
// own weight. Totals are scaled so the lowest node gets 0 and the highest 100.
import { termMatchesPod } from '../affinity-terms.js';
import { normalizeMinMax, type ScorePlugin } from '../framework.js';
import type { PodInfo } from '../pod-info.js';
import type { ClusterSnapshot } from '../snapshot.js';
import { addDomainWeight, perDomain, type TopologyScores, termPredicate } from './pod-affinity-counts.js';

const hardPodAffinityWeight = 1;

const ownerWeight: Record<string, number> = {
  affinity: hardPodAffinityWeight,
  preferredAffinity: 1,
  preferredAntiAffinity: -1,
  antiAffinity: 0,
};

function topologyScores(pod: PodInfo, snapshot: ClusterSnapshot): TopologyScores {
  const scores: TopologyScores = new Map();
  const ns = snapshot.namespaceLabels;
  for (const [terms, sign] of [
    [pod.affinity.preferred, 1],
    [pod.antiAffinity.preferred, -1],
  ] as const) {
    for (const term of terms) {
      const byDomain = snapshot.countsByDomain(termPredicate(term, ns), term.topologyKey);
      addDomainWeight(scores, byDomain, term.topologyKey, sign * term.weight);
    }
  }
  for (const owned of snapshot.owners.all()) {
    const factor = ownerWeight[owned.kind]!;
    if (factor === 0 || !termMatchesPod(owned.term, pod, ns)) continue;
    const weight = owned.kind === 'affinity' ? factor : factor * owned.term.weight;
    const key = owned.term.topologyKey;
    addDomainWeight(scores, perDomain(snapshot, owned.nodes, key), key, weight);
  }
  return scores;
}

export const interPodAffinityScore: ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preScore: (pod, _feasible, snapshot, state) => {
    const preferred = pod.affinity.preferred.length + pod.antiAffinity.preferred.length;
    if (preferred === 0 && snapshot.owners.size === 0) return false;
    const scores = topologyScores(pod, snapshot);
    if (scores.size === 0) return false;
    state.set('InterPodAffinity/score', scores);
    return true;
  },
  score: (_pod, node, state) => {
    let total = 0;
    for (const [key, byValue] of state.get('InterPodAffinity/score') as TopologyScores) {
      const value = node.labels[key];
      if (value !== undefined) total += byValue.get(value) ?? 0;
    }
    return total;
  },
  normalize: (scores) => normalizeMinMax(scores),
};
