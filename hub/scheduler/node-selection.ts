// Which nodes a pod may run on by label: spec.nodeSelector and node affinity's required terms
// (https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/). Terms are ORed,
// requirements inside a term ANDed; an empty term matches nothing; matchFields supports only
// metadata.name, as in kube's nodeaffinity helper.
import { type LabelOperator, matchesRequirement } from '../../api/label-selector.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from './types.js';

export interface NodeView {
  name: string;
  labels: Record<string, string>;
}

export type NodeMatcher = (node: NodeView) => boolean;

const labelOperators = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);

function requirementMatches(req: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  if (!labelOperators.has(req.operator)) return false;
  // Gt and Lt take exactly one integer; anything else is an invalid term that matches nothing.
  if ((req.operator === 'Gt' || req.operator === 'Lt') && !/^-?\d+$/.test(req.values?.[0] ?? ''))
    return false;
  return matchesRequirement(
    { key: req.key, operator: req.operator as LabelOperator, values: req.values ?? [] },
    labels,
  );
}

function fieldMatches(req: NodeSelectorRequirement, node: NodeView): boolean {
  if (req.key !== 'metadata.name') return false;
  const values = req.values ?? [];
  if (req.operator === 'In') return values.includes(node.name);
  if (req.operator === 'NotIn') return !values.includes(node.name);
  return false;
}

export function termMatches(term: NodeSelectorTerm, node: NodeView): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const req of exprs) if (!requirementMatches(req, node.labels)) return false;
  for (const req of fields) if (!fieldMatches(req, node)) return false;
  return true;
}

/** The pod's nodeSelector and required node affinity, or undefined when it has neither. */
export function requiredNodeMatcher(spec: PodSpec): NodeMatcher | undefined {
  const selector = Object.entries(spec.nodeSelector ?? {});
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (selector.length === 0 && !required) return undefined;
  const terms = required?.nodeSelectorTerms ?? [];
  return (node) => {
    for (const [key, value] of selector) if (node.labels[key] !== value) return false;
    if (!required) return true;
    for (const term of terms) if (termMatches(term, node)) return true;
    return false;
  };
}

/**
 * The node names a required affinity pins the pod to through `matchFields metadata.name In`,
 * when every term does so (kube's NodeAffinity PreFilterResult); undefined otherwise.
 */
export function pinnedNodeNames(spec: PodSpec): Set<string> | undefined {
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    const pin = (term.matchFields ?? []).find((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (!pin) return undefined;
    for (const name of pin.values ?? []) names.add(name);
  }
  return names;
}
