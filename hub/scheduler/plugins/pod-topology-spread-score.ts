// PodTopologySpread, score half: constraints with whenUnsatisfiable ScheduleAnyway. A node
// scores the matching pods in its domains, each constraint weighted by log.info(domains + 2) so
// that small topologies are not drowned by large ones, plus maxSkew - 1 to tolerate small
// skews; fewer is better, and normalisation maps the emptiest node to 100 (kube's scoring.go).
// Nodes missing a topology key get 0. kube's system-default constraints (spreading pods of a
// Service or ReplicaSet over zones and hosts without any constraint written) are not applied.
import { maxNodeScore, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { wellKnown } from '../types.js';
import {
  countByDomain,
  type DomainCounts,
  hasAllKeys,
  type SpreadConstraint,
  spreadConstraints,
} from './topology-spread.js';

interface SpreadScoreState {
  constraints: SpreadConstraint[];
  ignored: Set<string>;
  domains: DomainCounts[];
  weights: number[];
}

export const podTopologySpreadScore: ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preScore: (pod, feasible, snapshot, state) => {
    const constraints = spreadConstraints(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return false;
    const ignored = new Set<string>();
    const seen = constraints.map(() => new Set<string>());
    for (const node of feasible) {
      if (!hasAllKeys(node, constraints)) ignored.add(node.name);
      else
        for (let i = 0; i < constraints.length; i++) seen[i]!.add(node.labels[constraints[i]!.topologyKey]!);
    }
    const domains = countByDomain(snapshot, constraints, pod);
    const weights = constraints.map((c, i) => {
      const size = c.topologyKey === wellKnown.hostname ? feasible.length - ignored.size : seen[i]!.size;
      return Math.log(size + 2);
    });
    state.set('PodTopologySpread/score', {
      constraints,
      ignored,
      domains,
      weights,
    } satisfies SpreadScoreState);
    return true;
  },
  score: (_pod, node, state) => {
    const s = state.get('PodTopologySpread/score') as SpreadScoreState;
    if (s.ignored.has(node.name)) return 0;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const count = s.domains[i]!.counts.get(node.labels[c.topologyKey]!) ?? 0;
      score += count * s.weights[i]! + (c.maxSkew - 1);
    }
    return Math.round(score);
  },
  normalize: (scores, feasible, state) =>
    normalizeSpread(scores, feasible, state.get('PodTopologySpread/score') as SpreadScoreState),
};

function normalizeSpread(scores: Float64Array, feasible: readonly NodeInfo[], s: SpreadScoreState): void {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  feasible.forEach((node, i) => {
    if (s.ignored.has(node.name)) return;
    min = Math.min(min, scores[i]!);
    max = Math.max(max, scores[i]!);
  });
  feasible.forEach((node, i) => {
    if (s.ignored.has(node.name)) scores[i] = 0;
    else if (max === 0) scores[i] = maxNodeScore;
    else scores[i] = Math.trunc((maxNodeScore * (max + min - scores[i]!)) / max);
  });
}
