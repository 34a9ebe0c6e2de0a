// Inter-pod affinity terms compiled once per pod: which pods a term selects (label selector,
// namespaces and namespaceSelector, matchLabelKeys/mismatchLabelKeys) and over which topology.
// Semantics follow kube's framework.AffinityTerm: no namespaces and no namespaceSelector means
// the owner pod's namespace; an empty namespaceSelector means every namespace.
import { type LabelMatcher, type LabelSelector, labelSelectorMatcher } from '../../api/label-selector.js';
import type { LabelSelectorShape, PodAffinityShape, PodAffinityTermShape } from './types.js';

export interface AffinityTerm {
  /** Equal for terms that select the same pods over the same topology (the index key). */
  readonly id: string;
  readonly topologyKey: string;
  readonly weight: number;
  readonly selects: LabelMatcher;
  /** Labels every pod the term selects carries (for the pod index). */
  readonly requiredLabels: readonly (readonly [string, string])[];
  readonly namespaces: ReadonlySet<string>;
  readonly namespaceSelector: LabelMatcher | undefined;
}

/** What a term needs to know about a candidate pod. */
export interface PodLabelsView {
  namespace: string;
  labels: Record<string, string>;
}

export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

const never: LabelMatcher = () => false;

/** The label pairs a selector demands outright: matchLabels and single-valued `In`. */
export function requiredLabelsOf(selector: LabelSelectorShape | undefined): [string, string][] {
  const pairs = Object.entries(selector?.matchLabels ?? {});
  for (const e of selector?.matchExpressions ?? []) {
    if (e.operator === 'In' && e.values?.length === 1) pairs.push([e.key, e.values[0]!]);
  }
  return pairs;
}

/** Compiles a selector; one that cannot compile selects nothing instead of failing the cycle. */
export function compileSelector(selector: LabelSelector | undefined): LabelMatcher {
  try {
    return labelSelectorMatcher(selector);
  } catch {
    return never;
  }
}

function withLabelKeys(term: PodAffinityTermShape, ownerLabels: Record<string, string>): LabelSelectorShape {
  const selector = term.labelSelector!;
  const extra: { key: string; operator: string; values: string[] }[] = [];
  for (const key of term.matchLabelKeys ?? []) {
    const value = ownerLabels[key];
    if (value !== undefined) extra.push({ key, operator: 'In', values: [value] });
  }
  for (const key of term.mismatchLabelKeys ?? []) {
    const value = ownerLabels[key];
    if (value !== undefined) extra.push({ key, operator: 'NotIn', values: [value] });
  }
  if (extra.length === 0) return selector;
  return { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
}

export function compileTerm(term: PodAffinityTermShape, owner: PodLabelsView, weight = 1): AffinityTerm {
  const selector = term.labelSelector ? withLabelKeys(term, owner.labels) : undefined;
  const names = new Set(term.namespaces ?? []);
  if (names.size === 0 && !term.namespaceSelector) names.add(owner.namespace);
  const id = JSON.stringify([
    [...names].sort(),
    term.namespaceSelector ?? null,
    selector ?? null,
    term.topologyKey,
  ]);
  return {
    id,
    topologyKey: term.topologyKey,
    weight,
    selects: compileSelector(selector),
    requiredLabels: requiredLabelsOf(selector),
    namespaces: names,
    namespaceSelector: term.namespaceSelector ? compileSelector(term.namespaceSelector) : undefined,
  };
}

export function termMatchesPod(term: AffinityTerm, pod: PodLabelsView, nsLabels: NamespaceLabels): boolean {
  const inNamespace =
    term.namespaces.has(pod.namespace) || term.namespaceSelector?.(nsLabels(pod.namespace) ?? {}) === true;
  return inNamespace && term.selects(pod.labels);
}

export interface CompiledPodAffinity {
  required: AffinityTerm[];
  preferred: AffinityTerm[];
}

export function compileAffinity(
  shape: PodAffinityShape | undefined,
  owner: PodLabelsView,
): CompiledPodAffinity {
  return {
    required: (shape?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, owner)),
    preferred: (shape?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
      compileTerm(t.podAffinityTerm, owner, t.weight),
    ),
  };
}
