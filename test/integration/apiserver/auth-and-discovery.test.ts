import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

describe('API server: authentication and discovery', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
  });
  after(async () => {
    await t.close();
  });

  it('refuses requests without a token with a 401 Status', async () => {
    const res = await t.api.withToken(undefined).get('/api/v1/namespaces');
    assert.equal(res.status, 401);
    assert.deepEqual(
      { kind: res.json().kind, reason: res.json().reason, code: res.json().code },
      { kind: 'Status', reason: 'Unauthorized', code: 401 },
    );
  });

  it('refuses a wrong token', async () => {
    const res = await t.api.withToken('not-the-token').get('/api/v1/namespaces');
    assert.equal(res.status, 401);
  });

  it('serves /version and health checks without a token', async () => {
    const version = await t.api.withToken(undefined).get('/version');
    assert.equal(version.status, 200);
    assert.equal(version.json().major, '1');
    assert.equal(version.json().minor, '32');
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const res = await t.api.withToken(undefined).get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.text, 'ok');
    }
  });

  it('answers aggregated discovery with its exact content type', async () => {
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const res = await t.api.get('/apis', { Accept: accept });
    assert.equal(
      res.headers['content-type'],
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const groups = res.json().items.map((g: any) => g.metadata.name);
    assert.deepEqual(groups.sort(), [
      'apiextensions.k8s.io',
      'apps',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'batch',
      'coordination.k8s.io',
      'discovery.k8s.io',
      'flotilla.io',
      'metrics.k8s.io',
      'networking.k8s.io',
      'rbac.authorization.k8s.io',
    ]);
    const core = (await t.api.get('/api', { Accept: accept })).json();
    const pods = core.items[0].versions[0].resources.find((r: any) => r.resource === 'pods');
    assert.equal(pods.scope, 'Namespaced');
    assert.deepEqual(pods.shortNames, ['po']);
    assert.ok(pods.subresources.some((s: any) => s.subresource === 'binding'));
  });

  it('answers legacy discovery documents', async () => {
    assert.deepEqual((await t.api.get('/api')).json().versions, ['v1']);
    const apps = (await t.api.get('/apis/apps/v1')).json();
    assert.equal(apps.kind, 'APIResourceList');
    const names = apps.resources.map((r: any) => r.name);
    assert.ok(names.includes('deployments') && names.includes('deployments/scale'));
    assert.equal((await t.api.get('/apis/nope/v1')).status, 404);
  });

  it('has the system namespaces from the start', async () => {
    const list = (await t.api.get('/api/v1/namespaces')).json();
    const names = list.items.map((n: any) => n.metadata.name);
    for (const name of ['default', 'kube-system', 'kube-node-lease', 'kube-public'])
      assert.ok(names.includes(name), name);
    assert.equal(list.items.find((n: any) => n.metadata.name === 'default').status.phase, 'Active');
  });
});
