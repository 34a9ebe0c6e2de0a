import assert from 'node:assert/strict';
import { assertStatus } from '../../helpers/assert-status.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

describe('API server: dot segments in request paths', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
    await t.api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'dots' },
    });
    for (const name of ['one', 'two']) await t.api.post('/api/v1/namespaces/dots/configmaps', cm(name));
  });
  after(async () => {
    await t.close();
  });

  const stored = async () => {
    const ns = await t.api.get('/api/v1/namespaces/dots');
    const names = (await t.api.get('/api/v1/namespaces/dots/configmaps'))
      .json()
      .items.map((i: any) => i.metadata.name)
      // Every namespace has its CA bundle (kube-root-ca.crt): the test's own config maps are the others.
      .filter((name: string) => name !== 'kube-root-ca.crt');
    return { namespacePhase: ns.json().status?.phase, deletion: ns.json().metadata.deletionTimestamp, names };
  };

  for (const name of ['..', '.', '%2e%2e', '%2E%2e', '%2e', '.%2E']) {
    it(`refuses DELETE …/configmaps/${name} with 400 and deletes nothing`, async () => {
      const before = await stored();
      const res = await t.api.sendRaw('DELETE', `/api/v1/namespaces/dots/configmaps/${name}`);
      const status = assertStatus(res, 400, 'BadRequest');
      const decoded = decodeURIComponent(name);
      assert.equal(status.message, `Name parameter invalid: "${decoded}": may not be '${decoded}'`);
      assert.deepEqual(await stored(), before);
      assert.deepEqual(before.names, ['one', 'two']);
    });
  }

  it('refuses a name with an encoded slash instead of splitting the path', async () => {
    const res = await t.api.sendRaw('GET', '/api/v1/namespaces/dots/configmaps/one%2f..');
    const status = assertStatus(res, 400, 'BadRequest');
    assert.equal(status.message, `Name parameter invalid: "one/..": may not contain '/'`);
  });

  it('answers 404 with details for dot segments anywhere else in the path', async () => {
    for (const path of [
      '/api/v1/namespaces/dots/./configmaps',
      '/api/v1/namespaces/../configmaps',
      '/api/v1/namespaces/dots/%2e%2e/configmaps',
      '/api/v1/namespaces/dots%2fconfigmaps/configmaps',
      '/apis/apps/../v1/namespaces/dots/deployments',
      '/api/v1/namespaces/dots/configmaps/one/..',
      '/healthz/../api/v1/namespaces/dots/configmaps',
    ]) {
      const res = await t.api.sendRaw('DELETE', path);
      const status = assertStatus(res, 404, 'NotFound');
      assert.deepEqual(status.details, {}, path);
    }
    assert.deepEqual((await stored()).names, ['one', 'two']);
  });

  it('asks for the token before it says anything about the path', async () => {
    const res = await t.api.withToken(undefined).sendRaw('DELETE', '/api/v1/namespaces/dots/configmaps/..');
    assertStatus(res, 401, 'Unauthorized');
  });

  it('still serves names that merely contain dots', async () => {
    await t.api.post('/api/v1/namespaces/dots/configmaps', cm('a.b'));
    assert.equal((await t.api.sendRaw('GET', '/api/v1/namespaces/dots/configmaps/a.b')).status, 200);
    assert.equal((await t.api.sendRaw('DELETE', '/api/v1/namespaces/dots/configmaps/a%2Eb')).status, 200);
  });
});
