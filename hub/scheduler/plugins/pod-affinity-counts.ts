// Shared by InterPodAffinity's filter and score: turning "pods selected by a term, per node"
// into "topology domains that hold such pods".
import { type AffinityTerm, type NamespaceLabels, termMatchesPod } from '../affinity-terms.js';
import type { NodeCounts, PodPredicate } from '../pod-index.js';
import type { ClusterSnapshot } from '../snapshot.js';

/** The bound pods a term selects, as an index predicate. */
export function termPredicate(term: AffinityTerm, nsLabels: NamespaceLabels): PodPredicate {
  return {
    id: `term|${term.id}`,
    requiredLabels: term.requiredLabels,
    matches: (p) => termMatchesPod(term, p, nsLabels),
  };
}

/** The bound pods that every term selects (kube counts affinity only for pods matching all terms). */
export function allTermsPredicate(terms: readonly AffinityTerm[], nsLabels: NamespaceLabels): PodPredicate {
  if (terms.length === 1) return termPredicate(terms[0]!, nsLabels);
  return {
    id: `all|${terms.map((t) => t.id).join('|')}`,
    requiredLabels: terms.flatMap((t) => t.requiredLabels),
    matches: (p) => terms.every((t) => termMatchesPod(t, p, nsLabels)),
  };
}

/** Values of `topologyKey` on the nodes in `counts` (the domains those pods live in). */
export function domainsOf(snapshot: ClusterSnapshot, counts: NodeCounts, topologyKey: string): Set<string> {
  const values = new Set<string>();
  for (const nodeName of counts.keys()) {
    const value = snapshot.get(nodeName)?.labels[topologyKey];
    if (value !== undefined) values.add(value);
  }
  return values;
}

/** topologyKey → value → accumulated weight. */
export type TopologyScores = Map<string, Map<string, number>>;

/** Adds `weight` per pod to each domain in `byDomain` (pods per topology value). */
export function addDomainWeight(
  scores: TopologyScores,
  byDomain: ReadonlyMap<string, number>,
  topologyKey: string,
  weight: number,
): void {
  if (weight === 0 || byDomain.size === 0) return;
  const byValue = scores.get(topologyKey) ?? new Map<string, number>();
  for (const [value, pods] of byDomain) byValue.set(value, (byValue.get(value) ?? 0) + weight * pods);
  scores.set(topologyKey, byValue);
}

/** Pods per value of `topologyKey`, from per-node counts (nodes without the key left out). */
export function perDomain(
  snapshot: ClusterSnapshot,
  counts: NodeCounts,
  topologyKey: string,
): Map<string, number> {
  const byDomain = new Map<string, number>();
  for (const [nodeName, pods] of counts) {
    const value = snapshot.get(nodeName)?.labels[topologyKey];
    if (value !== undefined) byDomain.set(value, (byDomain.get(value) ?? 0) + pods);
  }
  return byDomain;
}
