// Shared by PodTopologySpread's filter and score: a pod's spread constraints, compiled, and the
// number of matching pods per topology domain. Counting follows kube's defaults for the node
// inclusion policies: only nodes that satisfy the pod's nodeSelector / required node affinity
// (nodeAffinityPolicy Honor) and carry every constraint's topology key count; taints are
// ignored (nodeTaintsPolicy Ignore); terminating pods are not counted.
import type { LabelMatcher } from '../../../api/label-selector.js';
import { compileSelector, requiredLabelsOf } from '../affinity-terms.js';
import type { NodeInfo } from '../node-info.js';
import { requiredNodeMatcher } from '../node-selection.js';
import type { PodPredicate } from '../pod-index.js';
import type { PodInfo } from '../pod-info.js';
import type { ClusterSnapshot } from '../snapshot.js';
import type { LabelSelectorShape, TopologySpreadConstraint } from '../types.js';

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  minDomains: number | undefined;
  selects: LabelMatcher;
  /** The pods this constraint counts: same namespace as the pod, selected, not terminating. */
  predicate: PodPredicate;
}

function mergedSelector(
  c: TopologySpreadConstraint,
  labels: Record<string, string>,
): LabelSelectorShape | undefined {
  if (!c.labelSelector) return undefined;
  const extra = (c.matchLabelKeys ?? [])
    .filter((key) => labels[key] !== undefined)
    .map((key) => ({ key, operator: 'In', values: [labels[key]!] }));
  if (extra.length === 0) return c.labelSelector;
  return { ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] };
}

// Compiled selectors by namespace and selector: pods of one workload share them, and compiling
// validates every key and value.
const compiled = new Map<string, Pick<SpreadConstraint, 'selects' | 'predicate'>>();

function compileSpreadSelector(namespace: string, selector: LabelSelectorShape | undefined) {
  const id = `spread|${namespace}|${JSON.stringify(selector ?? null)}`;
  let known = compiled.get(id);
  if (!known) {
    const selects = compileSelector(selector);
    known = {
      selects,
      predicate: {
        id,
        requiredLabels: requiredLabelsOf(selector),
        matches: (p) => p.namespace === namespace && !p.terminating && selects(p.labels),
      },
    };
    if (compiled.size >= 1024) compiled.clear();
    compiled.set(id, known);
  }
  return known;
}

export function spreadConstraints(
  pod: PodInfo,
  when: 'DoNotSchedule' | 'ScheduleAnyway',
): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of pod.pod.spec?.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== when) continue;
    const { selects, predicate } = compileSpreadSelector(pod.namespace, mergedSelector(c, pod.labels));
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      minDomains: c.minDomains,
      selects,
      predicate,
    });
  }
  return out;
}

export function hasAllKeys(node: NodeInfo, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (node.labels[c.topologyKey] === undefined) return false;
  return true;
}

/** The nodes whose pods count, and per constraint every topology domain among them. */
interface Eligible {
  names: Set<string>;
  domains: Set<string>[];
}

function eligibleNodes(
  snapshot: ClusterSnapshot,
  constraints: readonly SpreadConstraint[],
  pod: PodInfo,
): Eligible {
  const spec = pod.pod.spec ?? {};
  const key = JSON.stringify([
    'spread',
    constraints.map((c) => c.topologyKey),
    spec.nodeSelector ?? null,
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null,
  ]);
  // Pods of one workload share all of this, so it is computed once per fleet change, not per pod.
  return snapshot.memoizeForNodes(key, () => {
    const matcher = requiredNodeMatcher(spec);
    const eligible: Eligible = { names: new Set(), domains: constraints.map(() => new Set()) };
    for (const node of snapshot.nodes()) {
      if (!hasAllKeys(node, constraints) || (matcher && !matcher(node))) continue;
      eligible.names.add(node.name);
      constraints.forEach((c, i) => {
        eligible.domains[i]!.add(node.labels[c.topologyKey]!);
      });
    }
    return eligible;
  });
}

export interface DomainCounts {
  /** Every domain among the nodes whose pods count. */
  domains: ReadonlySet<string>;
  /** Matching pods per domain; domains without any are absent. */
  counts: Map<string, number>;
}

/** Per constraint, matching pods per topology domain, from the sparse per-node index counts. */
export function countByDomain(
  snapshot: ClusterSnapshot,
  constraints: readonly SpreadConstraint[],
  pod: PodInfo,
): DomainCounts[] {
  const eligible = eligibleNodes(snapshot, constraints, pod);
  return constraints.map((c, i) => {
    const counts = new Map<string, number>();
    for (const [nodeName, pods] of snapshot.matches.counts(c.predicate)) {
      if (!eligible.names.has(nodeName)) continue;
      const value = snapshot.get(nodeName)!.labels[c.topologyKey]!;
      counts.set(value, (counts.get(value) ?? 0) + pods);
    }
    return { domains: eligible.domains[i]!, counts };
  });
}
