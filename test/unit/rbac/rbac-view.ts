// An RbacView built from plain objects, for the authorizer's unit tests.
import type { Binding, PolicyRule, RbacView, Subject } from '../../../api/rbac/rbac-types.js';

export interface Policy {
  clusterRoles?: Record<string, PolicyRule[]>;
  /** By `namespace/name`. */
  roles?: Record<string, PolicyRule[]>;
  bindings?: Binding[];
}

export function rbacView(policy: Policy): RbacView {
  const bindings = policy.bindings ?? [];
  return {
    clusterRoleBindings: () => bindings.filter((b) => b.namespace === undefined),
    roleBindings: (namespace) => bindings.filter((b) => b.namespace === namespace),
    clusterRoleRules: (name) => policy.clusterRoles?.[name],
    roleRules: (namespace, name) => policy.roles?.[`${namespace}/${name}`],
  };
}

export const user = (name: string): Subject => ({
  kind: 'User',
  name,
  apiGroup: 'rbac.authorization.k8s.io',
});
export const group = (name: string): Subject => ({
  kind: 'Group',
  name,
  apiGroup: 'rbac.authorization.k8s.io',
});

/** A binding of `role` (`ClusterRole/x` or `Role/x`) to subjects, in `namespace` or cluster-wide. */
export function aBinding(role: string, subjects: Subject[], namespace?: string): Binding {
  const [kind, name] = role.split('/') as [string, string];
  return {
    name: `${name}-binding`,
    namespace,
    subjects,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name },
  };
}
