import assert from 'node:assert/strict';
import { authorize, rulesFor } from '../../../api/rbac/authorize.js';
import { forbiddenMessage, requestForbidden } from '../../../api/rbac/forbidden-message.js';
import type { Attributes, PolicyRule, UserInfo } from '../../../api/rbac/rbac-types.js';
import { aBinding, group, type Policy, rbacView, user } from './rbac-view.js';

const alice: UserInfo = { name: 'alice', groups: ['team', 'system:authenticated'] };

function allowed(
  rules: PolicyRule[],
  attributes: Attributes,
  how: 'cluster' | 'namespace' = 'cluster',
): boolean {
  const policy: Policy = {
    clusterRoles: { r: rules },
    bindings: [aBinding('ClusterRole/r', [user('alice')], how === 'namespace' ? 'team-a' : undefined)],
  };
  return authorize(alice, attributes, rbacView(policy)).allowed;
}

const get = (resource: string, extra: Partial<Attributes> = {}): Attributes => ({
  verb: 'get',
  apiGroup: '',
  resource,
  namespace: 'team-a',
  ...extra,
});

describe('RBAC authorizer', () => {
  it('allows a verb the rule lists and refuses the others', () => {
    const rules = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }];
    assert.equal(allowed(rules, get('pods')), true);
    assert.equal(allowed(rules, get('pods', { verb: 'list' })), true);
    assert.equal(allowed(rules, get('pods', { verb: 'delete' })), false);
    assert.equal(allowed(rules, get('pods', { verb: 'watch' })), false);
  });

  it('reads * as every verb, every resource and every group', () => {
    assert.equal(
      allowed(
        [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }],
        get('pods', { verb: 'deletecollection' }),
      ),
      true,
    );
    assert.equal(allowed([{ apiGroups: [''], resources: ['*'], verbs: ['get'] }], get('secrets')), true);
    assert.equal(
      allowed(
        [{ apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }],
        get('deployments', { apiGroup: 'apps' }),
      ),
      true,
    );
  });

  it('matches the API group exactly: "" is the core group only', () => {
    const rules = [{ apiGroups: [''], resources: ['deployments'], verbs: ['get'] }];
    assert.equal(allowed(rules, get('deployments', { apiGroup: 'apps' })), false);
    assert.equal(allowed([{ apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] }], get('pods')), false);
  });

  it('keeps subresources apart from their resource, unless named or matched by * or */sub', () => {
    const pods = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'create'] }];
    assert.equal(allowed(pods, get('pods', { subresource: 'log' })), false);
    assert.equal(allowed(pods, get('pods', { verb: 'create', subresource: 'exec' })), false);
    const exec = [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }];
    assert.equal(allowed(exec, get('pods', { verb: 'create', subresource: 'exec' })), true);
    assert.equal(allowed(exec, get('pods', { verb: 'create' })), false);
    assert.equal(allowed(exec, get('pods', { verb: 'create', subresource: 'attach' })), false);
    const anyScale = [{ apiGroups: ['*'], resources: ['*/scale'], verbs: ['update'] }];
    assert.equal(
      allowed(anyScale, get('deployments', { apiGroup: 'apps', verb: 'update', subresource: 'scale' })),
      true,
    );
    assert.equal(allowed(anyScale, get('deployments', { apiGroup: 'apps', verb: 'update' })), false);
    assert.equal(
      allowed([{ apiGroups: [''], resources: ['*'], verbs: ['get'] }], get('pods', { subresource: 'log' })),
      true,
    );
  });

  it('limits a rule with resourceNames to requests naming one of them', () => {
    const rules = [
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'list'] },
    ];
    assert.equal(allowed(rules, get('configmaps', { name: 'settings' })), true);
    assert.equal(allowed(rules, get('configmaps', { name: 'other' })), false);
    assert.equal(allowed(rules, get('configmaps', { verb: 'list' })), false);
  });

  it('matches non-resource URLs exactly or by a trailing * prefix, for their lower-case method', () => {
    const rules = [{ nonResourceURLs: ['/healthz', '/apis/*'], verbs: ['get'] }];
    assert.equal(allowed(rules, { verb: 'get', path: '/healthz' }), true);
    assert.equal(allowed(rules, { verb: 'get', path: '/healthz/etcd' }), false);
    assert.equal(allowed(rules, { verb: 'get', path: '/apis/apps/v1' }), true);
    assert.equal(allowed(rules, { verb: 'post', path: '/healthz' }), false);
    assert.equal(
      allowed([{ nonResourceURLs: ['*'], verbs: ['*'] }], { verb: 'put', path: '/anything' }),
      true,
    );
    // A resource rule never grants a path, nor a path rule a resource.
    assert.equal(
      allowed([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], { verb: 'get', path: '/healthz' }),
      false,
    );
    assert.equal(allowed(rules, get('pods')), false);
  });

  it('applies a RoleBinding only in its own namespace, with a Role or a ClusterRole', () => {
    const policy: Policy = {
      roles: { 'team-a/reader': [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
      clusterRoles: { view: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
      bindings: [
        aBinding('Role/reader', [user('alice')], 'team-a'),
        aBinding('ClusterRole/view', [user('alice')], 'team-a'),
      ],
    };
    const view = rbacView(policy);
    assert.equal(authorize(alice, get('pods'), view).allowed, true);
    assert.equal(authorize(alice, get('configmaps'), view).allowed, true);
    assert.equal(authorize(alice, get('pods', { namespace: 'team-b' }), view).allowed, false);
    assert.equal(authorize(alice, get('configmaps', { namespace: 'team-b' }), view).allowed, false);
    // Cluster-wide (no namespace: a list across namespaces) is not granted by a RoleBinding.
    assert.equal(authorize(alice, get('pods', { verb: 'list', namespace: undefined }), view).allowed, false);
  });

  it('never lets a RoleBinding use a Role of another namespace', () => {
    const policy: Policy = {
      roles: { 'team-b/reader': [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
      bindings: [aBinding('Role/reader', [user('alice')], 'team-a')],
    };
    const decision = authorize(alice, get('pods'), rbacView(policy));
    assert.deepEqual(decision, {
      allowed: false,
      reason: 'RBAC: role.rbac.authorization.k8s.io "reader" not found',
    });
  });

  it('applies a ClusterRoleBinding in every namespace and cluster-wide', () => {
    const rules = [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }];
    assert.equal(allowed(rules, get('pods', { verb: 'list', namespace: 'anywhere' })), true);
    assert.equal(allowed(rules, get('pods', { verb: 'list', namespace: undefined })), true);
  });

  it('binds by user name, by group, and by ServiceAccount', () => {
    const rules = { r: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
    const by = (subject: ReturnType<typeof user>, who: UserInfo, namespace?: string) =>
      authorize(
        who,
        get('pods'),
        rbacView({ clusterRoles: rules, bindings: [aBinding('ClusterRole/r', [subject], namespace)] }),
      ).allowed;
    assert.equal(by(user('alice'), alice), true);
    assert.equal(by(user('bob'), alice), false);
    assert.equal(by(group('team'), alice), true);
    assert.equal(by(group('other'), alice), false);
    const sa: UserInfo = { name: 'system:serviceaccount:team-a:builder', groups: [] };
    assert.equal(by({ kind: 'ServiceAccount', name: 'builder', namespace: 'team-a' }, sa), true);
    assert.equal(by({ kind: 'ServiceAccount', name: 'builder', namespace: 'team-b' }, sa), false);
    // In a RoleBinding, a ServiceAccount without a namespace is one of the binding's namespace.
    assert.equal(by({ kind: 'ServiceAccount', name: 'builder' }, sa, 'team-a'), true);
  });

  it('always allows system:masters, with no binding at all', () => {
    const admin: UserInfo = { name: 'admin', groups: ['system:masters'] };
    assert.equal(
      authorize(admin, { verb: 'delete', apiGroup: '', resource: 'nodes' }, rbacView({})).allowed,
      true,
    );
    assert.equal(authorize(admin, { verb: 'get', path: '/metrics' }, rbacView({})).allowed, true);
  });

  it('gives the missing roles as the reason of a refusal', () => {
    const policy: Policy = {
      bindings: [
        aBinding('ClusterRole/gone', [user('alice')]),
        aBinding('ClusterRole/lost', [group('team')]),
      ],
    };
    const decision = authorize(alice, get('pods'), rbacView(policy));
    assert.deepEqual(decision, {
      allowed: false,
      reason:
        'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, clusterrole.rbac.authorization.k8s.io "lost" not found]',
    });
    assert.deepEqual(authorize(alice, get('pods'), rbacView({})), { allowed: false, reason: '' });
  });

  it('gathers every rule that applies in a namespace', () => {
    const policy: Policy = {
      clusterRoles: { a: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
      roles: { 'team-a/b': [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }] },
      bindings: [aBinding('ClusterRole/a', [user('alice')]), aBinding('Role/b', [user('alice')], 'team-a')],
    };
    assert.deepEqual(
      rulesFor(alice, 'team-a', rbacView(policy)).rules.map((r) => r.resources),
      [['pods'], ['deployments']],
    );
    assert.deepEqual(
      rulesFor(alice, 'team-b', rbacView(policy)).rules.map((r) => r.resources),
      [['pods']],
    );
  });
});

describe('forbidden messages', () => {
  it('words a refusal as kube-apiserver does', () => {
    assert.equal(
      forbiddenMessage('alice', get('pods', { verb: 'list' })),
      'User "alice" cannot list resource "pods" in API group "" in the namespace "team-a"',
    );
    assert.equal(
      forbiddenMessage('alice', { verb: 'get', apiGroup: '', resource: 'nodes' }),
      'User "alice" cannot get resource "nodes" in API group "" at the cluster scope',
    );
    assert.equal(
      forbiddenMessage('alice', { verb: 'get', path: '/metrics' }),
      'User "alice" cannot get path "/metrics"',
    );
  });

  it('names the group-qualified resource, the object and the reason in the Status', () => {
    const err = requestForbidden(
      'alice',
      {
        verb: 'update',
        apiGroup: 'apps',
        resource: 'deployments',
        subresource: 'scale',
        name: 'web',
        namespace: 'team-a',
      },
      'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found',
    );
    assert.equal(err.code, 403);
    assert.equal(
      err.message,
      'deployments.apps "web" is forbidden: User "alice" cannot update resource "deployments/scale" in API group "apps" in the namespace "team-a": RBAC: clusterrole.rbac.authorization.k8s.io "x" not found',
    );
    assert.deepEqual(err.toStatus().details, { name: 'web', group: 'apps', kind: 'deployments' });
  });
});
