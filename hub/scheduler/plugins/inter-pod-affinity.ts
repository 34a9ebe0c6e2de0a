// InterPodAffinity, filter half (https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity):
// 1. required affinity: every term's topology domain on the node must already hold a pod that
//    all terms select, except for the first pod of a group that selects itself;
// 2. required anti-affinity: no term's domain on the node may hold a pod the term selects;
// 3. existing pods' required anti-affinity: the node may not share a domain with a pod whose
//    anti-affinity selects this pod.
import { termMatchesPod } from '../affinity-terms.js';
import type { FilterPlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import type { ClusterSnapshot } from '../snapshot.js';
import { allTermsPredicate, domainsOf, termPredicate } from './pod-affinity-counts.js';

export const affinityReason = "node(s) didn't match pod affinity rules";
export const antiAffinityReason = "node(s) didn't match pod anti-affinity rules";
export const existingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules";

interface AffinityState {
  /** Per required affinity term: domains holding pods all terms select (→ how many). */
  affinity: ReadonlyMap<string, number>[];
  /** No pod anywhere matches, and the pod matches its own terms: any labelled node will do. */
  firstOfGroup: boolean;
  /** Per required anti-affinity term: domains holding pods the term selects (→ how many). */
  anti: ReadonlyMap<string, number>[];
  /** topologyKey → domains where an existing pod's anti-affinity repels this pod. */
  repelled: Map<string, Set<string>>;
}

function existingAntiAffinity(pod: PodInfo, snapshot: ClusterSnapshot): Map<string, Set<string>> {
  const repelled = new Map<string, Set<string>>();
  if (snapshot.owners.antiAffinityCount === 0) return repelled;
  for (const owned of snapshot.owners.all()) {
    if (owned.kind !== 'antiAffinity' || !termMatchesPod(owned.term, pod, snapshot.namespaceLabels)) continue;
    const key = owned.term.topologyKey;
    const domains = domainsOf(snapshot, owned.nodes, key);
    if (domains.size === 0) continue;
    const known = repelled.get(key);
    if (known) for (const d of domains) known.add(d);
    else repelled.set(key, domains);
  }
  return repelled;
}

export const interPodAffinityFilter: FilterPlugin = {
  name: 'InterPodAffinity',
  preFilter: (pod, snapshot, state) => {
    const required = pod.affinity.required;
    const antiTerms = pod.antiAffinity.required;
    const repelled = existingAntiAffinity(pod, snapshot);
    if (required.length === 0 && antiTerms.length === 0 && repelled.size === 0) return { skip: true };
    const ns = snapshot.namespaceLabels;
    let affinity: ReadonlyMap<string, number>[] = [];
    let firstOfGroup = false;
    if (required.length > 0) {
      const all = allTermsPredicate(required, ns);
      affinity = required.map((t) => snapshot.countsByDomain(all, t.topologyKey));
      firstOfGroup =
        snapshot.matches.counts(all).size === 0 && required.every((t) => termMatchesPod(t, pod, ns));
    }
    const anti = antiTerms.map((t) => snapshot.countsByDomain(termPredicate(t, ns), t.topologyKey));
    state.set('InterPodAffinity', { affinity, firstOfGroup, anti, repelled } satisfies AffinityState);
    return undefined;
  },
  filter: (pod, node, state) => {
    const s = state.get('InterPodAffinity') as AffinityState;
    if (!satisfiesAffinity(pod, node, s)) return affinityReason;
    for (let i = 0; i < s.anti.length; i++) {
      const value = node.labels[pod.antiAffinity.required[i]!.topologyKey];
      if (value !== undefined && s.anti[i]!.has(value)) return antiAffinityReason;
    }
    for (const [key, domains] of s.repelled) {
      const value = node.labels[key];
      if (value !== undefined && domains.has(value)) return existingAntiAffinityReason;
    }
    return undefined;
  },
};

function satisfiesAffinity(pod: PodInfo, node: NodeInfo, s: AffinityState): boolean {
  let podsExist = true;
  for (let i = 0; i < s.affinity.length; i++) {
    const value = node.labels[pod.affinity.required[i]!.topologyKey];
    if (value === undefined) return false; // every topology key must be on the node
    if (!s.affinity[i]!.has(value)) podsExist = false;
  }
  return podsExist || s.firstOfGroup;
}
