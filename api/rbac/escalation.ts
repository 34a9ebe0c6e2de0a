// Privilege escalation prevention (kube's registry/rbac/validation): whoever writes a Role,
// ClusterRole or binding must already hold every permission it grants. The rules granted are
// broken into single permissions (one verb on one resource of one group, one name; or one verb
// on one non-resource URL) and each must be covered by one rule the writer holds.

import type { PolicyRule } from './rbac-types.js';
import { all } from './rule-matches.js';

/** The rules of `servant` that `owner`'s rules do not cover, compacted; empty when covered. */
export function uncoveredRules(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of servant) {
    for (const single of breakDown(rule)) {
      if (!owner.some((o) => covers(o, single))) missing.push(single);
    }
  }
  return compact(missing);
}

/** One rule per verb × group × resource × name, or per verb × non-resource URL. */
export function breakDown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
        for (const name of names) {
          out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs) out.push({ verbs: [verb], nonResourceURLs: [url] });
  }
  return out;
}

/** Whether `owner` covers a single permission (the output of breakDown). */
function covers(owner: PolicyRule, single: PolicyRule): boolean {
  const verb = single.verbs[0]!;
  if (!owner.verbs.includes(all) && !owner.verbs.includes(verb)) return false;
  const url = single.nonResourceURLs?.[0];
  if (url !== undefined) return (owner.nonResourceURLs ?? []).some((o) => urlCovers(o, url));
  const group = single.apiGroups?.[0] ?? '';
  const resource = single.resources?.[0] ?? '';
  const name = single.resourceNames?.[0];
  const groups = owner.apiGroups ?? [];
  if (!groups.includes(all) && !groups.includes(group)) return false;
  if (!(owner.resources ?? []).some((o) => resourceCovers(o, resource))) return false;
  const names = owner.resourceNames ?? [];
  return names.length === 0 || (name !== undefined && names.includes(name));
}

/** `*` covers everything; `*\/scale` covers every resource's scale; else only the same. */
function resourceCovers(owner: string, resource: string): boolean {
  if (owner === all || owner === resource) return true;
  const slash = resource.indexOf('/');
  return owner.startsWith('*/') && slash > 0 && resource.slice(slash) === owner.slice(1);
}

function urlCovers(owner: string, url: string): boolean {
  if (owner === all || owner === url) return true;
  return owner.endsWith(all) && url.startsWith(owner.slice(0, -1));
}

/** Single permissions that differ only in their verb, as one rule (kube's CompactRules). */
function compact(singles: PolicyRule[]): PolicyRule[] {
  const byTarget = new Map<string, PolicyRule & { verbs: string[] }>();
  for (const single of singles) {
    const key = JSON.stringify([
      single.apiGroups,
      single.resources,
      single.resourceNames,
      single.nonResourceURLs,
    ]);
    const found = byTarget.get(key);
    if (found) {
      if (!found.verbs.includes(single.verbs[0]!)) found.verbs.push(single.verbs[0]!);
    } else {
      byTarget.set(key, { ...single, verbs: [...single.verbs] });
    }
  }
  return [...byTarget.values()];
}

/** PolicyRule.CompactString: `{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}`. */
export function compactString(rule: PolicyRule): string {
  const list = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${list(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${list(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${list(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${list(rule.resourceNames)}`);
  if (rule.verbs.length) parts.push(`Verbs:${list(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** kube's escalation message, naming what the writer lacks. */
export function escalationMessage(
  user: { name: string; groups: readonly string[] },
  missing: readonly PolicyRule[],
): string {
  const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]`;
  return `user ${JSON.stringify(user.name)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${missing.map(compactString).join('\n')}`;
}
