// rbac.authorization.k8s.io/v1 as the authorizer reads it: rules, subjects, role references,
// and who is asking for what. The stored objects are parsed into these once (hub/auth/rbac-cache.ts),
// never per request.

/** PolicyRule: what a Role or ClusterRole allows. */
export interface PolicyRule {
  verbs: readonly string[];
  apiGroups?: readonly string[] | undefined;
  resources?: readonly string[] | undefined;
  resourceNames?: readonly string[] | undefined;
  nonResourceURLs?: readonly string[] | undefined;
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string | undefined;
  apiGroup?: string | undefined;
}

export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

/** A RoleBinding (namespace set) or a ClusterRoleBinding. */
export interface Binding {
  name: string;
  namespace?: string | undefined;
  subjects: readonly Subject[];
  roleRef: RoleRef;
}

/** Who is asking: authentication's answer (user.Info). */
export interface UserInfo {
  name: string;
  groups: readonly string[];
  uid?: string | undefined;
  extra?: Readonly<Record<string, readonly string[]>> | undefined;
}

/** A request to a resource, as kube-apiserver's authorizer.Attributes describe it. */
export interface ResourceAttributes {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string | undefined;
  name?: string | undefined;
  namespace?: string | undefined;
}

export interface NonResourceAttributes {
  verb: string;
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

export function isResourceRequest(attributes: Attributes): attributes is ResourceAttributes {
  return 'resource' in attributes;
}

/** What the authorizer reads: the bindings and the rules of the roles they name. */
export interface RbacView {
  clusterRoleBindings(): Iterable<Binding>;
  roleBindings(namespace: string): Iterable<Binding>;
  /** A ClusterRole's rules; undefined when there is no such ClusterRole. */
  clusterRoleRules(name: string): readonly PolicyRule[] | undefined;
  roleRules(namespace: string, name: string): readonly PolicyRule[] | undefined;
}

export const rbacGroup = 'rbac.authorization.k8s.io';

/** Groups every authenticated user is in, and the group that may do everything. */
export const authenticatedGroup = 'system:authenticated';
export const mastersGroup = 'system:masters';

/** ServiceAccounts authenticate as `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}
