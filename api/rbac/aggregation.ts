// ClusterRole aggregation (kube's clusterroleaggregation controller): a ClusterRole with an
// aggregationRule holds the rules of every other ClusterRole that one of its selectors matches,
// in selector order, then by name, each rule once.
import type { KubeObject } from '../types.js';
import { jsonEqual } from '../validation/deep-equal.js';
import { isRecord } from '../validation/field-readers.js';
import { selectorMatches } from '../validation/label-selector.js';

/** The label selectors of `role`'s aggregationRule; undefined when it aggregates nothing. */
export function aggregationSelectors(role: KubeObject): unknown[] | undefined {
  const rule = role.aggregationRule;
  if (!isRecord(rule)) return undefined;
  return Array.isArray(rule.clusterRoleSelectors) ? rule.clusterRoleSelectors : [];
}

export function aggregatedRules(role: KubeObject, clusterRoles: readonly KubeObject[]): unknown[] {
  const selectors = aggregationSelectors(role) ?? [];
  const sorted = [...clusterRoles].sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  const rules: unknown[] = [];
  for (const selector of selectors) {
    for (const other of sorted) {
      if (other.metadata.name === role.metadata.name) continue;
      if (!selectorMatches(selector, other.metadata.labels)) continue;
      for (const rule of Array.isArray(other.rules) ? other.rules : []) {
        if (!rules.some((r) => jsonEqual(r, rule))) rules.push(structuredClone(rule));
      }
    }
  }
  return rules;
}
