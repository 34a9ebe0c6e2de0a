// Whether one PolicyRule allows one request, after kube's rbac/v1 helpers (VerbMatches,
// APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches).
import type { NonResourceAttributes, PolicyRule, ResourceAttributes } from './rbac-types.js';

export const all = '*';

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === all || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === all || g === group);
}

/**
 * `*` matches every resource and subresource; `pods` matches pods but not pods/log; `pods/log`
 * matches exactly that; `*\/scale` matches the scale subresource of any resource.
 */
export function resourceMatches(
  rule: PolicyRule,
  resource: string,
  subresource: string | undefined,
): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (r) => r === all || r === combined || (subresource !== undefined && r === `*/${subresource}`),
  );
}

/** No resourceNames: every name; otherwise the request must name one of them. */
export function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return name !== undefined && names.includes(name);
}

/** `*` matches every path, `/apis/*` every path under /apis/, anything else exactly. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (url) => url === all || url === path || (url.endsWith(all) && path.startsWith(url.slice(0, -1))),
  );
}

export function ruleAllowsResource(rule: PolicyRule, request: ResourceAttributes): boolean {
  return (
    verbMatches(rule, request.verb) &&
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, request.resource, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}

export function ruleAllowsNonResource(rule: PolicyRule, request: NonResourceAttributes): boolean {
  return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, request.path);
}
