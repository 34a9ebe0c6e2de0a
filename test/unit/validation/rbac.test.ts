import assert from 'node:assert/strict';
import {
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
} from '../../../api/validation/rbac.js';
import { summarize, type TestObject } from '../../helpers/builders.js';

const aRole = (rules: unknown[]): TestObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'Role',
  metadata: { name: 'r', namespace: 'team-a' },
  rules,
});

const aBinding = (roleRef: unknown, subjects: unknown[] = []): TestObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: 'b', namespace: 'team-a' },
  roleRef,
  subjects,
});

const viewRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };

describe('RBAC validation', () => {
  it('accepts resource rules and cluster-wide non-resource rules', () => {
    assert.deepEqual(validateRole(aRole([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])), []);
    assert.deepEqual(validateClusterRole(aRole([{ nonResourceURLs: ['/healthz'], verbs: ['get'] }])), []);
  });

  it('requires verbs, and groups and resources for resource rules', () => {
    assert.deepEqual(summarize(validateRole(aRole([{}]))), [
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
  });

  it('refuses non-resource URLs in a namespaced Role, and mixed rules anywhere', () => {
    assert.deepEqual(summarize(validateRole(aRole([{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]))), [
      'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    ]);
    assert.deepEqual(
      summarize(
        validateClusterRole(aRole([{ nonResourceURLs: ['/x'], resources: ['pods'], verbs: ['get'] }])),
      ),
      [
        'rules[0].nonResourceURLs: Invalid value: ["/x"]: rules cannot apply to both regular resources and non-resource URLs',
      ],
    );
  });

  it('checks an aggregationRule has selectors that are valid', () => {
    const role = { ...aRole([]), aggregationRule: { clusterRoleSelectors: [] } };
    assert.deepEqual(summarize(validateClusterRole(role)), [
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
    const bad = {
      ...aRole([]),
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'a b': 'x' } }] },
    };
    assert.equal(validateClusterRole(bad)[0]?.field, 'aggregationRule.clusterRoleSelectors[0].matchLabels');
  });

  it('checks the roleRef and the subjects of a binding', () => {
    assert.deepEqual(
      validateRoleBinding(
        aBinding(viewRef, [{ kind: 'User', name: 'a', apiGroup: 'rbac.authorization.k8s.io' }]),
      ),
      [],
    );
    assert.deepEqual(
      summarize(
        validateRoleBinding(
          aBinding({ apiGroup: 'x', kind: 'Secret', name: '' }, [
            { kind: 'Robot', name: 'r' },
            { kind: 'ServiceAccount', name: '', apiGroup: 'rbac.authorization.k8s.io' },
          ]),
        ),
      ),
      [
        'roleRef.apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
        'roleRef.kind: Unsupported value: "Secret": supported values: "Role", "ClusterRole"',
        'roleRef.name: Required value',
        'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
        'subjects[1].name: Required value',
        'subjects[1].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
      ],
    );
  });

  it('lets a ClusterRoleBinding name ClusterRoles only, and ServiceAccounts with their namespace', () => {
    const binding = aBinding({ ...viewRef, kind: 'Role' }, [{ kind: 'ServiceAccount', name: 'sa' }]);
    assert.deepEqual(summarize(validateClusterRoleBinding(binding)), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
  });

  it('refuses to change a binding roleRef', () => {
    const old = aBinding(viewRef);
    const changed = aBinding({ ...viewRef, name: 'edit' });
    assert.equal(
      summarize(validateRoleBinding(changed, old))[0]?.startsWith('roleRef: Invalid value:'),
      true,
    );
    assert.match(summarize(validateRoleBinding(changed, old))[0] ?? '', /cannot change roleRef$/);
  });
});
