// Kubernetes' escalation prevention on the RBAC kinds' writes (registry/rbac/*/policybased):
// a Role or ClusterRole may be written by whoever holds every permission it grants, or may
// `escalate` it; a binding by whoever holds every permission of the role it binds, or may `bind`
// that role. Applied after validation, to the object as it will be stored.
import { authorize, rulesFor } from '../../../api/rbac/authorize.js';
import { escalationMessage, uncoveredRules } from '../../../api/rbac/escalation.js';
import { forbiddenError } from '../../../api/rbac/forbidden-message.js';
import { type PolicyRule, type RbacView, rbacGroup, type UserInfo } from '../../../api/rbac/rbac-types.js';
import type { ResourceInfo } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { jsonEqual } from '../../../api/validation/deep-equal.js';
import { bindingOf, rulesOf } from './rbac-cache.js';

export type WriteAdmission = (obj: KubeObject, old?: KubeObject) => void;

/** Everything, as a rule set: what using an aggregationRule requires. */
const fullAuthority: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

const grantingFields = ['rules', 'aggregationRule', 'subjects', 'roleRef'];

/** The check for writes of `info`'s objects by `user`; undefined for kinds other than RBAC's. */
export function escalationCheck(
  user: UserInfo,
  rbac: RbacView,
  info: ResourceInfo,
): WriteAdmission | undefined {
  if (info.group !== rbacGroup) return undefined;
  const gr = { group: info.group, resource: info.resource };
  const isBinding = info.resource === 'rolebindings' || info.resource === 'clusterrolebindings';
  return (obj, old) => {
    if (old && grantingFields.every((f) => jsonEqual(obj[f], old[f]))) return;
    const name = obj.metadata.name ?? '';
    const namespace = info.namespaced ? obj.metadata.namespace : undefined;
    const allowedTo = (verb: string, resource: string, resourceName: string) =>
      authorize(user, { verb, apiGroup: rbacGroup, resource, name: resourceName, namespace }, rbac).allowed;
    const requireCovered = (granted: readonly PolicyRule[], otherwise?: string) => {
      const held = rulesFor(user, namespace, rbac);
      const missing = uncoveredRules(held.rules, granted);
      if (missing.length === 0) return;
      let why = otherwise ?? escalationMessage(user, missing);
      if (!otherwise && held.errors.length > 0) why += `; resolution errors: [${held.errors.join(' ')}]`;
      throw forbiddenError(gr, name, why);
    };

    if (!isBinding) {
      if (allowedTo('escalate', info.resource, name)) return;
      if (obj.aggregationRule !== undefined && obj.aggregationRule !== null) {
        requireCovered(fullAuthority, 'must have cluster-admin privileges to use the aggregationRule');
        return;
      }
      requireCovered(rulesOf(obj));
      return;
    }
    const { roleRef } = bindingOf(obj);
    const roleResource = roleRef.kind === 'Role' ? 'roles' : 'clusterroles';
    if (allowedTo('bind', roleResource, roleRef.name)) return;
    const rules =
      roleRef.kind === 'Role' && namespace !== undefined
        ? rbac.roleRules(namespace, roleRef.name)
        : rbac.clusterRoleRules(roleRef.name);
    if (!rules)
      throw forbiddenError(
        gr,
        name,
        `${roleResource}.${rbacGroup} ${JSON.stringify(roleRef.name)} not found`,
      );
    requireCovered(rules);
  };
}
