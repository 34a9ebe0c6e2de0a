// The ClusterRoles and ClusterRoleBindings every cluster starts with, as users know them from
// Kubernetes' bootstrap policy: cluster-admin (bound to system:masters), the user-facing admin,
// edit and view (filled by aggregation from the system:aggregate-to-* roles, so a CRD's author
// can extend them by label), and what every authenticated user may do (discovery, health, asking
// about their own permissions). Resources Flotilla does not serve yet are listed as Kubernetes
// lists them, so the roles keep their meaning as kinds are added.
import type { KubeObject } from '../types.js';
import { aggregatedRules, aggregationSelectors } from './aggregation.js';
import { authenticatedGroup, mastersGroup, type PolicyRule, rbacGroup } from './rbac-types.js';

const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const aggregateLabel = (role: string) => `${rbacGroup}/aggregate-to-${role}`;

const defaults = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

function clusterRole(
  name: string,
  rules: PolicyRule[],
  options: { aggregateTo?: string[]; aggregateFrom?: string } = {},
): KubeObject {
  const labels: Record<string, string> = { ...defaults.labels };
  for (const role of options.aggregateTo ?? []) labels[aggregateLabel(role)] = 'true';
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRole',
    metadata: { name, labels, annotations: { ...defaults.annotations } },
    ...(options.aggregateFrom
      ? {
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { [aggregateLabel(options.aggregateFrom)]: 'true' } }],
          },
        }
      : {}),
    rules: rules.map((r) => ({ ...r })),
  };
}

function clusterRoleBinding(name: string, role: string, groups: string[]): KubeObject {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...defaults.labels }, annotations: { ...defaults.annotations } },
    roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: role },
    subjects: groups.map((group) => ({ apiGroup: rbacGroup, kind: 'Group', name: group })),
  };
}

const viewRules: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: [
      'bindings',
      'configmaps',
      'endpoints',
      'events',
      'limitranges',
      'namespaces',
      'namespaces/status',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'pods',
      'pods/log',
      'pods/status',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
      'serviceaccounts',
      'services',
      'services/status',
    ],
    verbs: read,
  },
  {
    apiGroups: ['apps'],
    resources: [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
    verbs: read,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], verbs: read },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses', 'ingresses/status', 'networkpolicies'],
    verbs: read,
  },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], verbs: read },
];

const editRules: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
    verbs: read,
  },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  {
    apiGroups: [''],
    resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'],
    verbs: write,
  },
  { apiGroups: [''], resources: ['pods/eviction', 'serviceaccounts/token'], verbs: ['create'] },
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
    verbs: write,
  },
  {
    apiGroups: ['apps'],
    resources: [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
    verbs: write,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: write },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: write },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: write },
];

const adminRules: PolicyRule[] = [
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: [rbacGroup], resources: ['rolebindings', 'roles'], verbs: [...read, ...write] },
];

const healthPaths = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

const unaggregated: readonly KubeObject[] = [
  clusterRole('cluster-admin', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]),
  clusterRole('admin', [], { aggregateFrom: 'admin' }),
  clusterRole('edit', [], { aggregateFrom: 'edit', aggregateTo: ['admin'] }),
  clusterRole('view', [], { aggregateFrom: 'view', aggregateTo: ['edit'] }),
  clusterRole('system:aggregate-to-admin', adminRules, { aggregateTo: ['admin'] }),
  clusterRole('system:aggregate-to-edit', editRules, { aggregateTo: ['admin', 'edit'] }),
  clusterRole('system:aggregate-to-view', viewRules, { aggregateTo: ['admin', 'edit', 'view'] }),
  // metrics-server installs this role; the hub serves metrics.k8s.io itself, so it brings it.
  clusterRole(
    'system:aggregated-metrics-reader',
    [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: read }],
    { aggregateTo: ['admin', 'edit', 'view'] },
  ),
  clusterRole('system:discovery', [
    {
      nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', ...healthPaths],
      verbs: ['get'],
    },
  ]),
  clusterRole('system:basic-user', [
    {
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      verbs: ['create'],
    },
    { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
  ]),
  clusterRole('system:public-info-viewer', [{ nonResourceURLs: healthPaths, verbs: ['get'] }]),
  // Kubernetes' role for scrapers: bind a Prometheus' user (or put it in the group) to read /metrics.
  clusterRole('system:monitoring', [
    {
      nonResourceURLs: ['/metrics', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*'],
      verbs: ['get'],
    },
  ]),
  clusterRole('system:service-account-issuer-discovery', [
    {
      nonResourceURLs: [
        '/.well-known/openid-configuration',
        '/.well-known/openid-configuration/',
        '/openid/v1/jwks',
        '/openid/v1/jwks/',
      ],
      verbs: ['get'],
    },
  ]),
];

/** The aggregated roles come already filled: they grant from the hub's first request. */
export const bootstrapClusterRoles: readonly KubeObject[] = unaggregated.map((role) =>
  aggregationSelectors(role) ? { ...role, rules: aggregatedRules(role, unaggregated) } : role,
);

export const bootstrapClusterRoleBindings: readonly KubeObject[] = [
  clusterRoleBinding('cluster-admin', 'cluster-admin', [mastersGroup]),
  clusterRoleBinding('system:discovery', 'system:discovery', [authenticatedGroup]),
  clusterRoleBinding('system:basic-user', 'system:basic-user', [authenticatedGroup]),
  clusterRoleBinding('system:monitoring', 'system:monitoring', ['system:monitoring']),
  clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
    authenticatedGroup,
    'system:unauthenticated',
  ]),
  clusterRoleBinding('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [
    'system:serviceaccounts',
  ]),
];
