// Server-side apply through the API: create by apply, managedFields per manager and operation,
// conflicts with another manager's fields (409 naming them), force, fields a manager stops
// applying are removed unless someone else manages them, list items merged by key, dry run.
import assert from 'node:assert/strict';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const applyType = 'application/apply-patch+yaml';
const deployments = '/apis/apps/v1/namespaces/default/deployments';

const config = (
  replicas: number,
  image = 'docker.io/local/web:1',
  labels: Record<string, string> = { app: 'web' },
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image }] },
    },
  },
});

describe('API server: server-side apply', () => {
  let t: TestHub;
  const apply = (body: unknown, manager = 'ci', extra = '') =>
    t.api.patch(`${deployments}/web?fieldManager=${manager}${extra}`, body, applyType);
  before(async () => {
    t = await startTestHub();
  });
  after(async () => {
    await t.close();
  });

  it('creates the object, with an Apply entry for its manager', async () => {
    const res = await apply(config(2));
    assert.equal(res.status, 201, res.text);
    const [entry] = res.json().metadata.managedFields;
    assert.equal(entry.manager, 'ci');
    assert.equal(entry.operation, 'Apply');
    assert.equal(entry.apiVersion, 'apps/v1');
    assert.equal(entry.fieldsType, 'FieldsV1');
    assert.deepEqual(entry.fieldsV1['f:spec']['f:replicas'], {});
    assert.deepEqual(entry.fieldsV1['f:metadata']['f:labels'], { '.': {}, 'f:app': {} });
    assert.deepEqual(Object.keys(entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']), [
      'k:{"name":"web"}',
    ]);
  });

  it('refuses an apply without fieldManager, and force on another patch', async () => {
    const res = await t.api.patch(`${deployments}/web`, config(2), applyType);
    assert.equal(res.status, 422);
    assert.match(res.json().message, /fieldManager: Required value: is required for apply patch/);
    const forced = await t.api.patch(
      `${deployments}/web?force=true`,
      { spec: { replicas: 2 } },
      'application/merge-patch+json',
    );
    assert.equal(forced.status, 422);
  });

  it('records an ordinary write as an Update by the client', async () => {
    const res = await t.api.patch(
      `${deployments}/web?fieldManager=hpa`,
      { spec: { replicas: 5 } },
      'application/merge-patch+json',
    );
    assert.equal(res.status, 200, res.text);
    const managers = res.json().metadata.managedFields.map((e: any) => `${e.manager}/${e.operation}`);
    assert.deepEqual(managers, ['ci/Apply', 'hpa/Update']);
  });

  it('answers a conflict on a field another manager set differently with 409 naming both', async () => {
    const res = await apply(config(2));
    assert.equal(res.status, 409, res.text);
    const status = res.json();
    assert.equal(status.reason, 'Conflict');
    assert.equal(
      status.message,
      'Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas',
    );
    assert.deepEqual(status.details.causes, [
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "hpa" using apps/v1',
        field: '.spec.replicas',
      },
    ]);
    // The same value is no conflict: both managers own it.
    const same = await apply(config(5));
    assert.equal(same.status, 200, same.text);
  });

  it('takes the field over with force', async () => {
    const res = await apply(config(3), 'ci', '&force=true');
    assert.equal(res.status, 200, res.text);
    const obj = res.json();
    assert.equal(obj.spec.replicas, 3);
    assert.equal(
      obj.metadata.managedFields.find((e: any) => e.manager === 'hpa'),
      undefined,
    );
  });

  it('removes what the manager stops applying, but not what another manager set', async () => {
    await t.api.patch(
      `${deployments}/web?fieldManager=ops`,
      { metadata: { labels: { team: 'plant' } } },
      'application/merge-patch+json',
    );
    const withTier = await apply(config(3, 'docker.io/local/web:1', { app: 'web', tier: 'edge' }));
    assert.equal(withTier.json().metadata.labels.tier, 'edge');
    const res = await apply(config(3, 'docker.io/local/web:2', { app: 'web' }));
    assert.equal(res.status, 200, res.text);
    const obj = res.json();
    assert.deepEqual(obj.metadata.labels, { app: 'web', team: 'plant' });
    assert.equal(obj.spec.template.spec.containers[0].image, 'docker.io/local/web:2');
  });

  it('merges list items by their key, keeping items another manager added', async () => {
    const sidecar = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'web', image: 'docker.io/local/web:2' },
              { name: 'log', image: 'docker.io/local/log:1' },
            ],
          },
        },
      },
    };
    const added = await t.api.patch(
      `${deployments}/web?fieldManager=ops`,
      sidecar,
      'application/strategic-merge-patch+json',
    );
    assert.equal(added.status, 200, added.text);
    const res = await apply(config(3, 'docker.io/local/web:3'));
    const names = res.json().spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`);
    assert.deepEqual(names, ['web=docker.io/local/web:3', 'log=docker.io/local/log:1']);
  });

  it('changes nothing on a dry run', async () => {
    const res = await apply(config(9), 'ci', '&dryRun=All');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json().spec.replicas, 9);
    assert.equal((await t.api.get(`${deployments}/web`)).json().spec.replicas, 3);
  });

  it('refuses a configuration without apiVersion or kind, or with another name', async () => {
    const { apiVersion: _a, ...noVersion } = config(3);
    assert.equal((await apply(noVersion)).status, 400);
    const other = { ...config(3), metadata: { name: 'other' } };
    assert.equal((await apply(other)).status, 400);
  });
});
