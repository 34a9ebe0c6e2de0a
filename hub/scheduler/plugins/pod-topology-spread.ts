// PodTopologySpread, filter half: constraints with whenUnsatisfiable DoNotSchedule. Placing the
// pod in a node's domain must keep (matching pods there + the pod itself if it matches) - (the
// fewest matching pods in any domain) within maxSkew; with minDomains set and fewer domains
// than that, the fewest counts as 0. Nodes without the topology key are rejected.
// (https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/)
import type { FilterPlugin } from '../framework.js';
import {
  countByDomain,
  type DomainCounts,
  type SpreadConstraint,
  spreadConstraints,
} from './topology-spread.js';

export const spreadReason = "node(s) didn't match pod topology spread constraints";
export const spreadMissingLabelReason = `${spreadReason} (missing required label)`;

interface SpreadState {
  constraints: SpreadConstraint[];
  domains: DomainCounts[];
  minMatch: number[];
  selfMatch: number[];
}

export const podTopologySpreadFilter: FilterPlugin = {
  name: 'PodTopologySpread',
  preFilter: (pod, snapshot, state) => {
    const constraints = spreadConstraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) return { skip: true };
    const domains = countByDomain(snapshot, constraints, pod);
    const minMatch = constraints.map((c, i) => {
      const { domains: all, counts } = domains[i]!;
      if (all.size === 0) return Number.POSITIVE_INFINITY;
      // A domain without matching pods, or too few domains for minDomains, makes the minimum 0.
      if (counts.size < all.size || (c.minDomains !== undefined && all.size < c.minDomains)) return 0;
      let min = Number.POSITIVE_INFINITY;
      for (const n of counts.values()) if (n < min) min = n;
      return min;
    });
    const selfMatch = constraints.map((c) => (c.selects(pod.labels) ? 1 : 0));
    state.set('PodTopologySpread', { constraints, domains, minMatch, selfMatch } satisfies SpreadState);
    return undefined;
  },
  filter: (_pod, node, state) => {
    const s = state.get('PodTopologySpread') as SpreadState;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const value = node.labels[c.topologyKey];
      if (value === undefined) return spreadMissingLabelReason;
      const skew = (s.domains[i]!.counts.get(value) ?? 0) + s.selfMatch[i]! - s.minMatch[i]!;
      if (skew > c.maxSkew) return spreadReason;
    }
    return undefined;
  },
};
