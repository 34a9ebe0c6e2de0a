import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const cm = (name: string, data: Record<string, string> = { a: '1' }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

const deployment = (name: string, replicas = 1, image = 'docker.io/local/web:1') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
  },
});

describe('API server: create, read, update, delete', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
  });
  after(async () => {
    await t.close();
  });

  it('creates an object with server-owned metadata and reads it back', async () => {
    const res = await t.api.post('/api/v1/namespaces/default/configmaps', cm('one'));
    assert.equal(res.status, 201);
    const created = res.json();
    assert.match(created.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(created.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(created.metadata.resourceVersion, /^\d+$/);
    assert.equal(created.metadata.namespace, 'default');
    const got = (await t.api.get('/api/v1/namespaces/default/configmaps/one')).json();
    assert.deepEqual(got, created);
  });

  it('fills a name from generateName', async () => {
    const res = await t.api.post('/api/v1/namespaces/default/configmaps', {
      ...cm(''),
      metadata: { generateName: 'gen-' },
    });
    assert.equal(res.status, 201);
    assert.match(res.json().metadata.name, /^gen-[a-z0-9]{5}$/);
  });

  it('answers 409 AlreadyExists for a taken name', async () => {
    await t.api.post('/api/v1/namespaces/default/configmaps', cm('dup'));
    const res = await t.api.post('/api/v1/namespaces/default/configmaps', cm('dup'));
    assert.equal(res.status, 409);
    assert.equal(res.json().reason, 'AlreadyExists');
    assert.equal(res.json().message, 'configmaps "dup" already exists');
  });

  it('answers 404 NotFound in Status form', async () => {
    const res = await t.api.get('/apis/apps/v1/namespaces/default/deployments/missing');
    assert.equal(res.status, 404);
    assert.deepEqual(res.json().details, { name: 'missing', group: 'apps', kind: 'deployments' });
    assert.equal(res.json().message, 'deployments.apps "missing" not found');
  });

  it('answers 409 Conflict for an update with a stale resourceVersion, and keeps the stored object', async () => {
    const created = (await t.api.post('/api/v1/namespaces/default/configmaps', cm('cas'))).json();
    const first = await t.api.put('/api/v1/namespaces/default/configmaps/cas', {
      ...created,
      data: { a: '2' },
    });
    assert.equal(first.status, 200);
    const stale = await t.api.put('/api/v1/namespaces/default/configmaps/cas', {
      ...created,
      data: { a: '3' },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.json().reason, 'Conflict');
    const stored = (await t.api.get('/api/v1/namespaces/default/configmaps/cas')).json();
    assert.deepEqual(stored.data, { a: '2' });
  });

  it('answers 422 Invalid naming the field, and stores nothing', async () => {
    const bad = deployment('bad');
    (bad.spec.template.spec.containers[0] as { image?: string }).image = undefined;
    const res = await t.api.post(
      '/apis/apps/v1/namespaces/default/deployments',
      JSON.parse(JSON.stringify(bad)),
    );
    assert.equal(res.status, 422);
    const status = res.json();
    assert.equal(status.reason, 'Invalid');
    assert.ok(status.details.causes.some((c: any) => c.field === 'spec.template.spec.containers[0].image'));
    assert.match(status.message, /spec\.template\.spec\.containers\[0\]\.image: Required value/);
    assert.equal((await t.api.get('/apis/apps/v1/namespaces/default/deployments/bad')).status, 404);
  });

  it('refuses malformed and oversized bodies with 400 and 413', async () => {
    const malformed = await t.api.send('POST', '/api/v1/namespaces/default/configmaps', '{"kind": ', {
      'Content-Type': 'application/json',
    });
    assert.equal(malformed.status, 400);
    assert.match(malformed.json().message, /not valid JSON/);
    const big = cm('big', { blob: 'x'.repeat(4 * 1024 * 1024) });
    const oversized = await t.api.post('/api/v1/namespaces/default/configmaps', big);
    assert.equal(oversized.status, 413);
    assert.equal((await t.api.get('/api/v1/namespaces/default/configmaps/big')).status, 404);
  });

  it('refuses a body whose kind does not match the URL', async () => {
    const res = await t.api.post('/api/v1/namespaces/default/secrets', cm('wrong-kind'));
    assert.equal(res.status, 400);
    assert.match(res.json().message, /kind in the data \(ConfigMap\)/);
  });

  it('refuses objects in a missing namespace', async () => {
    const res = await t.api.post('/api/v1/namespaces/nowhere/configmaps', cm('x'));
    assert.equal(res.status, 404);
    assert.equal(res.json().message, 'namespaces "nowhere" not found');
  });

  it('bumps generation on spec changes only', async () => {
    const created = (
      await t.api.post('/apis/apps/v1/namespaces/default/deployments', deployment('gen'))
    ).json();
    assert.equal(created.metadata.generation, 1);
    const labelled = (
      await t.api.patch(
        '/apis/apps/v1/namespaces/default/deployments/gen',
        { metadata: { labels: { x: 'y' } } },
        'application/merge-patch+json',
      )
    ).json();
    assert.equal(labelled.metadata.generation, 1);
    const scaled = (
      await t.api.patch(
        '/apis/apps/v1/namespaces/default/deployments/gen',
        { spec: { replicas: 3 } },
        'application/merge-patch+json',
      )
    ).json();
    assert.equal(scaled.metadata.generation, 2);
  });

  it('ignores status in a main-resource update and spec in a status update', async () => {
    const created = (
      await t.api.post('/apis/apps/v1/namespaces/default/deployments', deployment('split'))
    ).json();
    const viaMain = (
      await t.api.put('/apis/apps/v1/namespaces/default/deployments/split', {
        ...created,
        status: { replicas: 7 },
      })
    ).json();
    assert.equal(viaMain.status, undefined);
    const viaStatus = (
      await t.api.put('/apis/apps/v1/namespaces/default/deployments/split/status', {
        ...viaMain,
        spec: { ...viaMain.spec, replicas: 9 },
        status: { replicas: 1 },
      })
    ).json();
    assert.equal(viaStatus.status.replicas, 1);
    assert.equal(viaStatus.spec.replicas, 1);
  });

  it('does not write an update that changes nothing', async () => {
    const created = (await t.api.post('/api/v1/namespaces/default/configmaps', cm('same'))).json();
    const again = (await t.api.put('/api/v1/namespaces/default/configmaps/same', created)).json();
    assert.equal(again.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  it('applies JSON patch, merge patch and strategic merge patch', async () => {
    await t.api.post('/apis/apps/v1/namespaces/default/deployments', deployment('patchy'));
    const path = '/apis/apps/v1/namespaces/default/deployments/patchy';
    const json = await t.api.patch(
      path,
      [{ op: 'replace', path: '/spec/replicas', value: 2 }],
      'application/json-patch+json',
    );
    assert.equal(json.json().spec.replicas, 2);
    const smp = await t.api.patch(
      path,
      {
        spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'docker.io/local/side:1' }] } } },
      },
      'application/strategic-merge-patch+json',
    );
    assert.deepEqual(
      smp
        .json()
        .spec.template.spec.containers.map((c: any) => c.name)
        .sort(),
      ['sidecar', 'web'],
    );
    const bad = await t.api.patch(path, { spec: { replicas: -1 } }, 'application/merge-patch+json');
    assert.equal(bad.status, 422);
    assert.equal((await t.api.get(path)).json().spec.replicas, 2);
  });

  it('lists with limit and continue, every item exactly once', async () => {
    await t.api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'paging' },
    });
    for (let i = 0; i < 7; i++) await t.api.post('/api/v1/namespaces/paging/configmaps', cm(`p${i}`));
    const seen: string[] = [];
    let next = '';
    do {
      const page = (
        await t.api.get(
          `/api/v1/namespaces/paging/configmaps?limit=3${next ? `&continue=${encodeURIComponent(next)}` : ''}`,
        )
      ).json();
      seen.push(
        ...page.items.map((i: any) => i.metadata.name).filter((n: string) => n !== 'kube-root-ca.crt'),
      );
      next = page.metadata.continue ?? '';
    } while (next);
    assert.deepEqual(seen, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('filters by label and field selectors and refuses unsupported field labels', async () => {
    await t.api.post('/api/v1/namespaces/default/configmaps', {
      ...cm('sel-a'),
      metadata: { name: 'sel-a', labels: { tier: 'web' } },
    });
    await t.api.post('/api/v1/namespaces/default/configmaps', {
      ...cm('sel-b'),
      metadata: { name: 'sel-b', labels: { tier: 'db' } },
    });
    const web = (
      await t.api.get('/api/v1/namespaces/default/configmaps?labelSelector=tier%20in%20(web)')
    ).json();
    assert.deepEqual(
      web.items.map((i: any) => i.metadata.name),
      ['sel-a'],
    );
    const byName = (await t.api.get('/api/v1/configmaps?fieldSelector=metadata.name%3Dsel-b')).json();
    assert.deepEqual(
      byName.items.map((i: any) => i.metadata.name),
      ['sel-b'],
    );
    const unsupported = await t.api.get('/api/v1/configmaps?fieldSelector=data.a%3D1');
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.json().message, 'field label not supported: data.a');
  });

  it('deletes an object, and then 404s', async () => {
    await t.api.post('/api/v1/namespaces/default/configmaps', cm('gone'));
    const res = await t.api.delete('/api/v1/namespaces/default/configmaps/gone');
    assert.equal(res.status, 200);
    assert.equal(res.json().metadata.name, 'gone');
    assert.equal((await t.api.get('/api/v1/namespaces/default/configmaps/gone')).status, 404);
  });

  it('keeps an object with finalizers until the last finalizer is removed', async () => {
    await t.api.post('/api/v1/namespaces/default/configmaps', {
      ...cm('fin'),
      metadata: { name: 'fin', finalizers: ['example.com/hold'] },
    });
    const marked = (await t.api.delete('/api/v1/namespaces/default/configmaps/fin')).json();
    assert.ok(marked.metadata.deletionTimestamp);
    assert.equal((await t.api.get('/api/v1/namespaces/default/configmaps/fin')).status, 200);
    const released = await t.api.patch(
      '/api/v1/namespaces/default/configmaps/fin',
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    assert.equal(released.status, 200);
    assert.equal((await t.api.get('/api/v1/namespaces/default/configmaps/fin')).status, 404);
  });

  it('records Foreground and Orphan propagation as finalizers for the garbage collector', async () => {
    await t.api.post('/apis/apps/v1/namespaces/default/deployments', deployment('fg'));
    const res = await t.api.delete('/apis/apps/v1/namespaces/default/deployments/fg', {
      propagationPolicy: 'Foreground',
    });
    assert.deepEqual(res.json().metadata.finalizers, ['foregroundDeletion']);
    const bad = await t.api.delete('/apis/apps/v1/namespaces/default/deployments/fg', {
      propagationPolicy: 'Sideways',
    });
    assert.equal(bad.status, 400);
  });

  it('deletes a collection by label', async () => {
    for (const n of ['dc1', 'dc2']) {
      await t.api.post('/api/v1/namespaces/default/configmaps', {
        ...cm(n),
        metadata: { name: n, labels: { batch: 'dc' } },
      });
    }
    const res = await t.api.delete('/api/v1/namespaces/default/configmaps?labelSelector=batch%3Ddc');
    assert.equal(res.status, 200);
    assert.equal(res.json().items.length, 2);
    const left = (await t.api.get('/api/v1/namespaces/default/configmaps?labelSelector=batch%3Ddc')).json();
    assert.equal(left.items.length, 0);
  });

  it('does not store anything on dryRun', async () => {
    const res = await t.api.post('/api/v1/namespaces/default/configmaps?dryRun=All', cm('dry'));
    assert.equal(res.status, 201);
    assert.equal((await t.api.get('/api/v1/namespaces/default/configmaps/dry')).status, 404);
  });
});
