import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  issueClientCertificate,
  loadCertificateAuthority,
} from '../../../hub/pki/certificate-authority.js';
import { aNamespace, aPod } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import { execQuery, openExec, UpgradeRefused } from '../../helpers/exec-client.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const rbac = '/apis/rbac.authorization.k8s.io/v1';
const aDay = 24 * 3600 * 1000;

function binding(name: string, role: { kind: string; name: string }, user: string, namespace?: string) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  };
}

function podIn(name: string, namespace: string) {
  const pod = aPod(name);
  pod.metadata.namespace = namespace;
  return pod;
}

function role(name: string, namespace: string, rules: unknown[]) {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules };
}

describe('API server: RBAC authorization', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub(undefined, { controllers: ['namespace', 'clusterrole-aggregation'] });
    for (const ns of ['team-a', 'team-b'])
      assert.equal((await t.api.post('/api/v1/namespaces', aNamespace(ns))).status, 201);
    assert.equal((await t.api.post('/api/v1/namespaces/team-a/pods', podIn('web', 'team-a'))).status, 201);
    const view = binding('alice-view', { kind: 'ClusterRole', name: 'view' }, 'alice', 'team-a');
    assert.equal((await t.api.post(`${rbac}/namespaces/team-a/rolebindings`, view)).status, 201);
  });
  after(async () => {
    await t.close();
  });

  it('lets the admin token do everything without any binding of its own', async () => {
    assert.equal((await t.api.get('/api/v1/nodes')).status, 200);
    const review = await t.api.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    assert.equal(review.status, 201);
    assert.deepEqual(review.json().status.userInfo, {
      username: 'admin',
      groups: ['system:masters', 'system:authenticated'],
    });
  });

  it('answers SelfSubjectReview under v1beta1 too, for kubectl 1.27', async () => {
    const review = await t.api.as('alice').post('/apis/authentication.k8s.io/v1beta1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1beta1',
      kind: 'SelfSubjectReview',
    });
    assert.equal(review.status, 201);
    assert.equal(review.json().apiVersion, 'authentication.k8s.io/v1beta1');
    assert.deepEqual(review.json().status.userInfo, { username: 'alice', groups: ['system:authenticated'] });
    const group = (await t.api.get('/apis/authentication.k8s.io')).json();
    assert.equal(group.preferredVersion.version, 'v1');
  });

  it('creates the default roles and the cluster-admin binding at start, the aggregated ones filled', async () => {
    const admin = (await t.api.get(`${rbac}/clusterrolebindings/cluster-admin`)).json();
    assert.deepEqual(admin.subjects, [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' },
    ]);
    const view = (await t.api.get(`${rbac}/clusterroles/view`)).json();
    assert.ok(view.rules.some((r: any) => r.resources.includes('pods') && r.verbs.includes('list')));
    assert.ok(!view.rules.some((r: any) => r.resources.includes('secrets')));
    const edit = (await t.api.get(`${rbac}/clusterroles/edit`)).json();
    assert.ok(edit.rules.some((r: any) => r.resources.includes('pods/exec') && r.verbs.includes('create')));
  });

  it('refuses a user without a binding in Kubernetes words', async () => {
    const res = await t.api.as('alice').get('/api/v1/namespaces/team-b/pods');
    assert.equal(res.status, 403);
    assert.deepEqual(res.json(), {
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "team-b"',
      reason: 'Forbidden',
      details: { group: '', kind: 'pods' },
      code: 403,
    });
  });

  it('allows what a RoleBinding to view grants in its namespace only, and nothing to write', async () => {
    const alice = t.api.as('alice');
    assert.equal((await alice.get('/api/v1/namespaces/team-a/pods')).status, 200);
    assert.equal((await alice.get('/api/v1/namespaces/team-a/pods/web')).status, 200);
    assert.equal((await alice.get('/api/v1/namespaces/team-a/pods/web/status')).status, 200);
    assert.equal((await alice.get('/api/v1/namespaces/team-b/pods')).status, 403);
    assert.equal((await alice.get('/api/v1/pods')).status, 403);
    assert.equal((await alice.get('/api/v1/namespaces/team-a/secrets')).status, 403);
    const create = await alice.post('/api/v1/namespaces/team-a/pods', podIn('other', 'team-a'));
    assert.equal(create.status, 403);
    assert.equal(
      create.json().message,
      'pods is forbidden: User "alice" cannot create resource "pods" in API group "" in the namespace "team-a"',
    );
    const exec = await alice.post('/api/v1/namespaces/team-a/pods/web/exec?command=ls', undefined);
    assert.equal(exec.status, 403);
    assert.equal(
      exec.json().message,
      'pods "web" is forbidden: User "alice" cannot create resource "pods/exec" in API group "" in the namespace "team-a"',
    );
  });

  it('refuses the exec, attach and port-forward upgrades to a viewer, before anything else', async () => {
    for (const [sub, query] of [
      ['exec', execQuery(['ls'])],
      ['attach', 'stdout=true'],
      ['portforward', 'ports=80'],
    ] as const) {
      const err = await openExec({
        apiUrl: t.hub.apiUrl,
        ca: t.hub.caPem,
        token: t.hub.adminToken,
        headers: { 'Impersonate-User': 'alice' },
        path: `/api/v1/namespaces/team-a/pods/web/${sub}?${query}`,
      }).then(
        () => assert.fail(`${sub} was upgraded`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof UpgradeRefused, String(err));
      assert.equal(err.status, 403);
      assert.equal(
        err.body.message,
        `pods "web" is forbidden: User "alice" cannot get resource "pods/${sub}" in API group "" in the namespace "team-a"`,
      );
    }
  });

  it('authorizes watches like lists', async () => {
    const res = await t.api.as('alice').get('/api/v1/namespaces/team-b/pods?watch=true');
    assert.equal(res.status, 403);
    assert.match(
      res.json().message,
      /cannot watch resource "pods" in API group "" in the namespace "team-b"/,
    );
  });

  it('lets every authenticated user discover the API, and no one reach other paths unbound', async () => {
    const alice = t.api.as('alice');
    assert.equal((await alice.get('/api')).status, 200);
    assert.equal((await alice.get('/apis/rbac.authorization.k8s.io/v1')).status, 200);
    assert.equal((await alice.get('/openapi/v3')).status, 200);
    const other = await alice.get('/metrics');
    assert.equal(other.status, 403);
    assert.equal(other.json().message, 'forbidden: User "alice" cannot get path "/metrics"');
  });

  it('authenticates a client certificate from the hub CA as CN with O groups', async () => {
    const ca = await loadCertificateAuthority({
      certPem: readFileSync(join(t.dataDir, 'pki', 'ca.crt'), 'utf8'),
      keyPem: readFileSync(join(t.dataDir, 'pki', 'ca.key'), 'utf8'),
    });
    const cert = await issueClientCertificate(ca, {
      user: 'carol',
      groups: ['plant-it', 'vendors'],
      validForMs: aDay,
    });
    const carol = t.api.withCertificate(cert.certPem, cert.keyPem);
    const review = await carol.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    assert.equal(review.status, 201);
    assert.deepEqual(review.json().status.userInfo, {
      username: 'carol',
      groups: ['plant-it', 'vendors', 'system:authenticated'],
    });
    assert.equal((await carol.get('/api/v1/namespaces/team-a/pods')).status, 403);
    const groupBinding = {
      ...binding('plant-it-view', { kind: 'ClusterRole', name: 'view' }, 'x', 'team-a'),
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'plant-it' }],
    };
    assert.equal((await t.api.post(`${rbac}/namespaces/team-a/rolebindings`, groupBinding)).status, 201);
    assert.equal((await carol.get('/api/v1/namespaces/team-a/pods')).status, 200);
  });

  it('answers 401 to a certificate another CA signed, and to no credentials', async () => {
    const stranger = await createCertificateAuthority('someone-else');
    const cert = await issueClientCertificate(stranger, {
      user: 'mallory',
      groups: ['system:masters'],
      validForMs: aDay,
    });
    assert.equal(
      (await t.api.withCertificate(cert.certPem, cert.keyPem).get('/api/v1/namespaces')).status,
      401,
    );
    assert.equal((await t.api.withToken(undefined).get('/api/v1/namespaces')).status, 401);
  });

  it('answers kubectl auth can-i through SelfSubjectAccessReview', async () => {
    const ask = async (verb: string, namespace: string, resource = 'pods', subresource?: string) => {
      const res = await t.api.as('alice').post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb, namespace, resource, ...(subresource ? { subresource } : {}) } },
      });
      assert.equal(res.status, 201);
      return res.json().status.allowed;
    };
    assert.equal(await ask('list', 'team-a'), true);
    assert.equal(await ask('delete', 'team-a'), false);
    assert.equal(await ask('list', 'team-b'), false);
    assert.equal(await ask('create', 'team-a', 'pods', 'exec'), false);
    const bad = await t.api.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {},
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.json().details.causes[0].field, 'spec.resourceAttributes');
  });

  it('lists what a user may do in a namespace through SelfSubjectRulesReview', async () => {
    const res = await t.api.as('alice').post('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      spec: { namespace: 'team-a' },
    });
    assert.equal(res.status, 201);
    const { resourceRules, nonResourceRules, incomplete } = res.json().status;
    assert.equal(incomplete, false);
    assert.ok(resourceRules.some((r: any) => r.resources.includes('pods') && r.verbs.includes('watch')));
    assert.ok(resourceRules.some((r: any) => r.resources.includes('selfsubjectaccessreviews')));
    assert.ok(nonResourceRules.some((r: any) => r.nonResourceURLs.includes('/api')));
  });

  it('answers SubjectAccessReview about another user, for those allowed to ask', async () => {
    const review = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user: 'alice', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'team-a' } },
    };
    const res = await t.api.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', review);
    assert.equal(res.status, 201);
    assert.equal(res.json().status.allowed, true);
    assert.equal(
      (await t.api.as('alice').post('/apis/authorization.k8s.io/v1/subjectaccessreviews', review)).status,
      403,
    );
  });

  it('refuses impersonation to users not allowed to impersonate', async () => {
    const res = await t.api.send('GET', '/api/v1/namespaces/team-a/pods', undefined, {
      'Impersonate-User': 'bob',
      Authorization: 'Bearer nope',
    });
    assert.equal(res.status, 401);
    const ca = await loadCertificateAuthority({
      certPem: readFileSync(join(t.dataDir, 'pki', 'ca.crt'), 'utf8'),
      keyPem: readFileSync(join(t.dataDir, 'pki', 'ca.key'), 'utf8'),
    });
    const cert = await issueClientCertificate(ca, { user: 'dave', groups: [], validForMs: aDay });
    const daveAsAdmin = await t.api
      .withCertificate(cert.certPem, cert.keyPem)
      .get('/api/v1/nodes', { 'Impersonate-User': 'admin', 'Impersonate-Group': 'system:masters' });
    assert.equal(daveAsAdmin.status, 403);
    assert.equal(
      daveAsAdmin.json().message,
      'users "admin" is forbidden: User "dave" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  it('refuses a Role that grants more than its writer holds, unless the writer may escalate', async () => {
    const adminBinding = binding('erin-admin', { kind: 'ClusterRole', name: 'admin' }, 'erin', 'team-b');
    assert.equal((await t.api.post(`${rbac}/namespaces/team-b/rolebindings`, adminBinding)).status, 201);
    const erin = t.api.as('erin');
    const held = role('pod-reader', 'team-b', [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    ]);
    assert.equal((await erin.post(`${rbac}/namespaces/team-b/roles`, held)).status, 201);
    const more = role('node-reader', 'team-b', [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    ]);
    const refused = await erin.post(`${rbac}/namespaces/team-b/roles`, more);
    assert.equal(refused.status, 403);
    assert.equal(
      refused.json().message,
      'roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "erin" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list"]}',
    );
    assert.equal((await t.api.get(`${rbac}/namespaces/team-b/roles/node-reader`)).status, 404);
    const toAdmin = binding(
      'erin-cluster-admin',
      { kind: 'ClusterRole', name: 'cluster-admin' },
      'erin',
      'team-b',
    );
    const bindRefused = await erin.post(`${rbac}/namespaces/team-b/rolebindings`, toAdmin);
    assert.equal(bindRefused.status, 403);
    assert.match(
      bindRefused.json().message,
      /^rolebindings.rbac.authorization.k8s.io "erin-cluster-admin" is forbidden: user "erin"/,
    );
    // Binding what one holds is fine: edit is part of admin.
    const toEdit = binding('frank-edit', { kind: 'ClusterRole', name: 'edit' }, 'frank', 'team-b');
    assert.equal((await erin.post(`${rbac}/namespaces/team-b/rolebindings`, toEdit)).status, 201);
    // The admin (system:masters) may grant anything.
    assert.equal((await t.api.post(`${rbac}/namespaces/team-b/roles`, more)).status, 201);
  });

  it('validates RBAC objects with field-named errors', async () => {
    const res = await t.api.post(
      `${rbac}/namespaces/team-a/roles`,
      role('bad', 'team-a', [{ apiGroups: [''], resources: ['pods'] }]),
    );
    assert.equal(res.status, 422);
    assert.equal(
      res.json().message,
      'Role.rbac.authorization.k8s.io "bad" is invalid: rules[0].verbs: Required value: verbs must contain at least one value',
    );
    const badRef = binding('bad', { kind: 'Secret', name: 'x' }, 'alice', 'team-a');
    const ref = await t.api.post(`${rbac}/namespaces/team-a/rolebindings`, badRef);
    assert.equal(ref.status, 422);
    assert.equal(ref.json().details.causes[0].field, 'roleRef.kind');
  });

  it('fills an aggregated ClusterRole from the roles its selector matches', async () => {
    const widgets = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'widget-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }],
    };
    assert.equal((await t.api.post(`${rbac}/clusterroles`, widgets)).status, 201);
    await eventually(async () => {
      const view = (await t.api.get(`${rbac}/clusterroles/view`)).json();
      return view.rules.some((r: any) => r.resources.includes('widgets'));
    });
    const ask = await t.api.as('alice').post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: { verb: 'list', group: 'example.com', resource: 'widgets', namespace: 'team-a' },
      },
    });
    assert.equal(ask.json().status.allowed, true);
    assert.equal((await t.api.delete(`${rbac}/clusterroles/widget-viewer`)).status, 200);
    await eventually(async () => {
      const view = (await t.api.get(`${rbac}/clusterroles/view`)).json();
      return !view.rules.some((r: any) => r.resources.includes('widgets'));
    });
  });

  it('prints bindings as kubectl shows them', async () => {
    const res = await t.api.get(`${rbac}/namespaces/team-a/rolebindings/alice-view`, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    const table = res.json();
    assert.deepEqual(
      table.columnDefinitions.map((c: any) => c.name),
      ['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts'],
    );
    assert.deepEqual(table.rows[0].cells.slice(0, 2), ['alice-view', 'ClusterRole/view']);
    assert.equal(table.rows[0].cells[3], 'alice');
  });
});
