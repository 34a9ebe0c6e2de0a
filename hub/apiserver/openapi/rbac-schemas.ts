// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding, with the
// field numbers of k8s.io/api/rbac/v1 generated.proto (kubectl create role|rolebinding send protobuf).
import {
  apiSchemaName,
  kindSchema,
  listKindSchema,
  listOf,
  metaName,
  object,
  ref,
  type SchemaTable,
  str,
} from './schema-builders.js';

const group = 'rbac.authorization.k8s.io';
const version = 'v1';
const rbacName = (kind: string) => apiSchemaName(group, version, kind);
const gvk = (kind: string) => ({ group, version, kind });
const strings = (description: string) => listOf(str(), description);

const policyRule = object(
  {
    apiGroups: strings('The API groups of the resources; "" is the core group, "*" every group.'),
    nonResourceURLs: strings(
      'Partial URLs a user may reach, such as /healthz; "*" at the end matches a prefix. ClusterRoles only.',
    ),
    resourceNames: strings('Names the rule is limited to; empty means every name.'),
    resources: strings('Resources the rule applies to, "pods/log" for a subresource, "*" for all.'),
    verbs: strings(
      'Verbs the rule allows (get, list, watch, create, update, patch, delete, deletecollection, or "*").',
    ),
  },
  {
    required: ['verbs'],
    description: 'PolicyRule holds information that describes a policy rule.',
    protobuf: { verbs: 1, apiGroups: 2, resources: 3, resourceNames: 4, nonResourceURLs: 5 },
  },
);

const subject = object(
  {
    apiGroup: str(
      'API group of the subject: "" for ServiceAccount, rbac.authorization.k8s.io for User and Group.',
    ),
    kind: str('Kind of object being referenced: "User", "Group" or "ServiceAccount".'),
    name: str('Name of the object being referenced.'),
    namespace: str('Namespace of a ServiceAccount subject.'),
  },
  {
    required: ['kind', 'name'],
    description: 'Subject is a user, a group or a ServiceAccount a binding grants a role to.',
    protobuf: { kind: 1, apiGroup: 2, name: 3, namespace: 4 },
  },
);

const roleRef = object(
  {
    apiGroup: str('APIGroup is the group for the resource being referenced.'),
    kind: str('Kind is the type of resource being referenced: Role or ClusterRole.'),
    name: str('Name is the name of resource being referenced.'),
  },
  {
    required: ['apiGroup', 'kind', 'name'],
    description: 'RoleRef contains information that points to the role being used.',
    protobuf: { apiGroup: 1, kind: 2, name: 3 },
  },
);

const rules = (description: string) => listOf(ref(rbacName('PolicyRule')), description);
const subjects = listOf(
  ref(rbacName('Subject')),
  'Subjects holds references to the objects the role applies to.',
);
const roleRefField = ref(
  rbacName('RoleRef'),
  "RoleRef references a Role in the binding's namespace or a ClusterRole. Cannot be changed.",
);

export const rbacSchemas: SchemaTable = {
  [rbacName('PolicyRule')]: policyRule,
  [rbacName('Subject')]: subject,
  [rbacName('RoleRef')]: roleRef,
  [rbacName('AggregationRule')]: object(
    {
      clusterRoleSelectors: listOf(
        ref(metaName('LabelSelector')),
        'ClusterRoles matching any of these selectors have their rules added to this one by the controller.',
      ),
    },
    {
      description: 'AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole.',
      protobuf: { clusterRoleSelectors: 1 },
    },
  ),
  [rbacName('Role')]: kindSchema(
    gvk('Role'),
    { rules: rules('Rules holds all the PolicyRules for this Role.') },
    'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
    { rules: 2 },
  ),
  [rbacName('RoleList')]: listKindSchema(gvk('Role')),
  [rbacName('ClusterRole')]: kindSchema(
    gvk('ClusterRole'),
    {
      aggregationRule: ref(
        rbacName('AggregationRule'),
        'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If set, the controller owns the rules.',
      ),
      rules: rules('Rules holds all the PolicyRules for this ClusterRole.'),
    },
    'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    { rules: 2, aggregationRule: 3 },
  ),
  [rbacName('ClusterRoleList')]: listKindSchema(gvk('ClusterRole')),
  [rbacName('RoleBinding')]: kindSchema(
    gvk('RoleBinding'),
    { roleRef: roleRefField, subjects },
    'RoleBinding grants the permissions of a Role or ClusterRole within its namespace to users, groups or ServiceAccounts.',
    { subjects: 2, roleRef: 3 },
  ),
  [rbacName('RoleBindingList')]: listKindSchema(gvk('RoleBinding')),
  [rbacName('ClusterRoleBinding')]: kindSchema(
    gvk('ClusterRoleBinding'),
    { roleRef: roleRefField, subjects },
    'ClusterRoleBinding grants the permissions of a ClusterRole across the cluster to users, groups or ServiceAccounts.',
    { subjects: 2, roleRef: 3 },
  ),
  [rbacName('ClusterRoleBindingList')]: listKindSchema(gvk('ClusterRoleBinding')),
};
