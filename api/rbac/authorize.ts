// The RBAC authorizer (kube's plugin/pkg/auth/authorizer/rbac): a request is allowed when a
// ClusterRoleBinding, or a RoleBinding in the request's namespace, binds the user to a role with
// a rule that allows it. `system:masters` is allowed everything without any binding, as
// kube-apiserver's privileged-group authorizer does. Pure: the caller hands in what is stored.

import {
  type Attributes,
  type Binding,
  isResourceRequest,
  mastersGroup,
  type PolicyRule,
  type RbacView,
  rbacGroup,
  type Subject,
  serviceAccountUser,
  type UserInfo,
} from './rbac-types.js';
import { ruleAllowsNonResource, ruleAllowsResource } from './rule-matches.js';

export type Decision = { allowed: true } | { allowed: false; reason: string };

const allowed: Decision = { allowed: true };

export function authorize(user: UserInfo, attributes: Attributes, rbac: RbacView): Decision {
  if (user.groups.includes(mastersGroup)) return allowed;
  const allows = (rule: PolicyRule) =>
    isResourceRequest(attributes)
      ? ruleAllowsResource(rule, attributes)
      : ruleAllowsNonResource(rule, attributes);
  const errors: string[] = [];
  const namespace = isResourceRequest(attributes) ? attributes.namespace : undefined;
  for (const rules of boundRules(user, namespace, rbac, errors)) {
    if (rules.some(allows)) return allowed;
  }
  return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregate(errors)}` : '' };
}

/** Every rule that applies to `user` in `namespace` (cluster-wide ones when undefined). */
export function rulesFor(
  user: UserInfo,
  namespace: string | undefined,
  rbac: RbacView,
): { rules: PolicyRule[]; errors: string[] } {
  const errors: string[] = [];
  const rules: PolicyRule[] = [];
  for (const bound of boundRules(user, namespace, rbac, errors)) rules.push(...bound);
  return { rules, errors };
}

/** The rules of each role bound to `user`: cluster bindings first, then the namespace's. */
function* boundRules(
  user: UserInfo,
  namespace: string | undefined,
  rbac: RbacView,
  errors: string[],
): Generator<readonly PolicyRule[]> {
  for (const binding of rbac.clusterRoleBindings()) {
    if (!binding.subjects.some((s) => appliesTo(s, user, undefined))) continue;
    const rules = roleRules(binding, rbac, errors);
    if (rules) yield rules;
  }
  if (namespace === undefined || namespace === '') return;
  for (const binding of rbac.roleBindings(namespace)) {
    if (!binding.subjects.some((s) => appliesTo(s, user, namespace))) continue;
    const rules = roleRules(binding, rbac, errors);
    if (rules) yield rules;
  }
}

function roleRules(binding: Binding, rbac: RbacView, errors: string[]): readonly PolicyRule[] | undefined {
  const { roleRef } = binding;
  if (roleRef.kind === 'ClusterRole') {
    const rules = rbac.clusterRoleRules(roleRef.name);
    if (!rules) errors.push(`clusterrole.${rbacGroup} "${roleRef.name}" not found`);
    return rules;
  }
  if (roleRef.kind === 'Role' && binding.namespace !== undefined) {
    const rules = rbac.roleRules(binding.namespace, roleRef.name);
    if (!rules) errors.push(`role.${rbacGroup} "${roleRef.name}" not found`);
    return rules;
  }
  return undefined;
}

/**
 * Whether a binding's subject is this user (rbac's appliesToUser). A ServiceAccount subject of a
 * RoleBinding without a namespace means one in the binding's namespace.
 */
export function appliesTo(subject: Subject, user: UserInfo, bindingNamespace: string | undefined): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== undefined && user.name === serviceAccountUser(namespace, subject.name);
    }
    default:
      return false;
  }
}

/** apimachinery's utilerrors.Aggregate: one error alone, several as `[a, b]`. */
function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}
