// CustomResourceDefinitions through the API: a CRD is established and its kind served at once
// (discovery, OpenAPI, storage with schema validation, pruning and defaults, printer columns,
// status and scale subresources), survives a hub restart, and takes its objects when deleted.
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/eventually.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const cronTabCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['cronSpec'],
                properties: {
                  cronSpec: { type: 'string', pattern: '^(\\S+ ){4}\\S+$', description: 'When it runs.' },
                  image: { type: 'string' },
                  replicas: { type: 'integer', minimum: 0, maximum: 10, default: 1 },
                  mode: { type: 'string', enum: ['fast', 'slow'] },
                },
              },
              status: {
                type: 'object',
                properties: { replicas: { type: 'integer' }, selector: { type: 'string' } },
              },
            },
          },
        },
        subresources: {
          status: {},
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      },
    ],
  },
};

const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const crontabs = '/apis/stable.example.com/v1/namespaces/default/crontabs';

const cronTab = (
  name: string,
  spec: Record<string, unknown> = { cronSpec: '* * * * */5', image: 'img' },
) => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name },
  spec,
});

describe('API server: CustomResourceDefinitions', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub(undefined, { controllers: ['namespace', 'customresourcedefinition'] });
    const res = await t.api.post(crdPath, cronTabCrd);
    assert.equal(res.status, 201, res.text);
  });
  after(async () => {
    await t.close();
  });

  it('establishes the CRD, with its finalizer, accepted names and stored version', async () => {
    const crd = await eventually(async () => {
      const got = (await t.api.get(`${crdPath}/crontabs.stable.example.com`)).json();
      const established = got.status?.conditions?.find((c: { type: string }) => c.type === 'Established');
      assert.equal(established?.status, 'True');
      return got;
    });
    assert.deepEqual(crd.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    assert.equal(crd.status.acceptedNames.kind, 'CronTab');
    assert.equal(crd.spec.names.listKind, 'CronTabList');
    assert.deepEqual(crd.status.storedVersions, ['v1']);
  });

  it('lists the new resource in discovery and OpenAPI', async () => {
    const list = (await t.api.get('/apis/stable.example.com/v1')).json();
    const crontab = list.resources.find((r: { name: string }) => r.name === 'crontabs');
    assert.deepEqual(crontab.shortNames, ['ct']);
    assert.equal(crontab.namespaced, true);
    assert.ok(list.resources.some((r: { name: string }) => r.name === 'crontabs/scale'));
    const groups = (await t.api.get('/apis')).json();
    assert.ok(groups.groups.some((g: { name: string }) => g.name === 'stable.example.com'));
    const index = (await t.api.get('/openapi/v3')).json();
    const url = index.paths['apis/stable.example.com/v1'].serverRelativeURL;
    const doc = (await t.api.get(url)).json();
    const schema = doc.components.schemas['com.example.stable.v1.CronTab'];
    assert.equal(schema.properties.spec.properties.cronSpec.description, 'When it runs.');
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [
      { group: 'stable.example.com', kind: 'CronTab', version: 'v1' },
    ]);
  });

  it('stores a custom resource with defaults, drops unknown fields, and refuses bad values naming the field', async () => {
    const res = await t.api.post(crontabs, cronTab('daily', { cronSpec: '0 0 * * *', typo: 1 }));
    assert.equal(res.status, 201, res.text);
    const created = res.json();
    assert.equal(created.spec.replicas, 1);
    assert.equal(created.spec.typo, undefined);
    const bad = await t.api.post(crontabs, cronTab('bad', { cronSpec: 'nope', replicas: 11, mode: 'warp' }));
    assert.equal(bad.status, 422, bad.text);
    const fields = bad
      .json()
      .details.causes.map((c: { field: string }) => c.field)
      .sort();
    assert.deepEqual(fields, ['spec.cronSpec', 'spec.mode', 'spec.replicas']);
    assert.match(bad.json().message, /^CronTab\.stable\.example\.com "bad" is invalid/);
    const strict = await t.api.post(
      `${crontabs}?fieldValidation=Strict`,
      cronTab('strict', { cronSpec: '0 0 * * *', typo: 1 }),
    );
    assert.equal(strict.status, 400);
    assert.match(strict.json().message, /unknown field "spec.typo"/);
  });

  it('prints the CRD printer columns in tables', async () => {
    const table = (
      await t.api.get(crontabs, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })
    ).json();
    assert.deepEqual(
      table.columnDefinitions.map((c: { name: string }) => c.name),
      ['Name', 'Spec', 'Replicas', 'Age'],
    );
    const row = table.rows.find((r: { cells: unknown[] }) => r.cells[0] === 'daily');
    assert.equal(row.cells[1], '0 0 * * *');
    assert.equal(row.cells[2], 1);
    assert.match(row.cells[3], /^\d+s$/);
  });

  it('writes status only through the status subresource, and scales through scale', async () => {
    await t.api.post(crontabs, cronTab('scaled'));
    const put = await t.api.patch(
      `${crontabs}/scaled`,
      { status: { replicas: 3 } },
      'application/merge-patch+json',
    );
    assert.equal(put.json().status, undefined);
    const status = await t.api.patch(
      `${crontabs}/scaled/status`,
      { status: { replicas: 2, selector: 'app=x' } },
      'application/merge-patch+json',
    );
    assert.equal(status.json().status.replicas, 2);
    const scale = (await t.api.get(`${crontabs}/scaled/scale`)).json();
    assert.deepEqual(scale.spec, { replicas: 1 });
    assert.deepEqual(scale.status, { replicas: 2, selector: 'app=x' });
    const scaled = await t.api.patch(
      `${crontabs}/scaled/scale`,
      { spec: { replicas: 4 } },
      'application/merge-patch+json',
    );
    assert.equal(scaled.status, 200, scaled.text);
    assert.equal((await t.api.get(`${crontabs}/scaled`)).json().spec.replicas, 4);
    const tooMany = await t.api.patch(
      `${crontabs}/scaled/scale`,
      { spec: { replicas: 40 } },
      'application/merge-patch+json',
    );
    assert.equal(tooMany.status, 422, tooMany.text);
  });

  it('applies a custom resource server-side, merging by its schema', async () => {
    const applied = await t.api.patch(
      `${crontabs}/applied?fieldManager=ci`,
      cronTab('applied', { cronSpec: '*/5 * * * *', image: 'a' }),
      'application/apply-patch+yaml',
    );
    assert.equal(applied.status, 201, applied.text);
    assert.equal(applied.json().spec.replicas, 1);
    const again = await t.api.patch(
      `${crontabs}/applied?fieldManager=ci`,
      cronTab('applied', { cronSpec: '*/5 * * * *' }),
      'application/apply-patch+yaml',
    );
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json().spec.image, undefined);
    assert.equal(again.json().metadata.managedFields[0].manager, 'ci');
  });

  it('refuses a strategic merge patch on a custom resource, as Kubernetes does', async () => {
    const res = await t.api.patch(
      `${crontabs}/daily`,
      { spec: { image: 'x' } },
      'application/strategic-merge-patch+json',
    );
    assert.equal(res.status, 415);
  });

  it('refuses a CRD whose schema or names are wrong, naming the field', async () => {
    const bad = structuredClone(cronTabCrd) as any;
    bad.metadata.name = 'widgets.stable.example.com';
    bad.spec.names = { plural: 'Widgets', kind: 'Widget' };
    bad.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size = {};
    const res = await t.api.post(crdPath, bad);
    assert.equal(res.status, 422, res.text);
    const fields = res.json().details.causes.map((c: { field: string }) => c.field);
    assert.ok(fields.includes('spec.names.plural'), fields.join(' '));
    assert.ok(fields.includes('metadata.name'), fields.join(' '));
    assert.ok(
      fields.some((f: string) => f.startsWith('spec.versions[0].schema.openAPIV3Schema.properties[spec]')),
      fields.join(' '),
    );
  });

  it('serves several versions of one resource, the most stable preferred, one object under each', async () => {
    const gauges = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gauges.plant.example.com' },
      spec: {
        group: 'plant.example.com',
        scope: 'Cluster',
        names: { plural: 'gauges', kind: 'Gauge' },
        versions: ['v1alpha1', 'v1', 'v1beta1'].map((name) => ({
          name,
          served: true,
          storage: name === 'v1',
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { unit: { type: 'string' } } } },
            },
          },
        })),
      },
    };
    assert.equal((await t.api.post(crdPath, gauges)).status, 201);
    const group = (await t.api.get('/apis/plant.example.com')).json();
    assert.deepEqual(
      group.versions.map((v: { version: string }) => v.version),
      ['v1', 'v1beta1', 'v1alpha1'],
    );
    assert.equal(group.preferredVersion.version, 'v1');
    const created = await t.api.post('/apis/plant.example.com/v1beta1/gauges', {
      apiVersion: 'plant.example.com/v1beta1',
      kind: 'Gauge',
      metadata: { name: 'pressure' },
      spec: { unit: 'bar' },
    });
    assert.equal(created.status, 201, created.text);
    const asV1 = (await t.api.get('/apis/plant.example.com/v1/gauges/pressure')).json();
    assert.equal(asV1.apiVersion, 'plant.example.com/v1');
    assert.equal(asV1.spec.unit, 'bar');
    const listed = (await t.api.get('/apis/plant.example.com/v1alpha1/gauges')).json();
    assert.deepEqual(
      listed.items.map((g: { apiVersion: string }) => g.apiVersion),
      ['plant.example.com/v1alpha1'],
    );
  });

  it('deletes custom resources with their namespace', async () => {
    assert.equal(
      (
        await t.api.post('/api/v1/namespaces', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'hall-9' },
        })
      ).status,
      201,
    );
    const inHall = '/apis/stable.example.com/v1/namespaces/hall-9/crontabs';
    assert.equal(
      (
        await t.api.post(inHall, {
          ...cronTab('nightly'),
          metadata: { name: 'nightly', namespace: 'hall-9' },
        })
      ).status,
      201,
    );
    assert.equal((await t.api.delete('/api/v1/namespaces/hall-9')).status, 200);
    await eventually(
      async () => {
        assert.equal((await t.api.get('/api/v1/namespaces/hall-9')).status, 404);
        return true;
      },
      { timeoutMs: 15_000 },
    );
    assert.equal((await t.api.get(`${inHall}/nightly`)).status, 404);
  });

  it('does not serve, and says so, a CRD for a resource the hub serves itself', async () => {
    const leases = structuredClone(cronTabCrd) as any;
    leases.metadata.name = 'leases.coordination.k8s.io';
    leases.spec.group = 'coordination.k8s.io';
    leases.spec.names = { plural: 'leases', kind: 'Lease' };
    assert.equal((await t.api.post(crdPath, leases)).status, 201);
    const status = await eventually(async () => {
      const got = (await t.api.get(`${crdPath}/leases.coordination.k8s.io`)).json();
      const accepted = got.status?.conditions?.find((c: { type: string }) => c.type === 'NamesAccepted');
      assert.equal(accepted?.status, 'False');
      return got.status;
    });
    assert.equal(status.conditions.find((c: { type: string }) => c.type === 'Established').status, 'False');
    assert.match(
      status.conditions.find((c: { type: string }) => c.type === 'NamesAccepted').message,
      /"leases\.coordination\.k8s\.io" is served by the hub itself/,
    );
    // The built-in Lease is still what is served.
    const created = await t.api.post('/apis/coordination.k8s.io/v1/namespaces/default/leases', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l' },
      spec: { holderIdentity: 'x', leaseDurationSeconds: 10 },
    });
    assert.equal(created.status, 201, created.text);
    // Deleting the refused CRD takes no Lease with it.
    assert.equal((await t.api.delete(`${crdPath}/leases.coordination.k8s.io`)).status, 200);
    await eventually(async () => {
      assert.equal((await t.api.get(`${crdPath}/leases.coordination.k8s.io`)).status, 404);
      return true;
    });
    const lease = await t.api.get('/apis/coordination.k8s.io/v1/namespaces/default/leases/l');
    assert.equal(lease.status, 200, lease.text);
  });

  it('keeps serving custom resources after a hub restart', async () => {
    t = await t.restart();
    const got = await t.api.get(`${crontabs}/daily`);
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json().spec.cronSpec, '0 0 * * *');
  });

  it('deletes the objects with the CRD, then stops serving the resource', async () => {
    const res = await t.api.delete(`${crdPath}/crontabs.stable.example.com`);
    assert.equal(res.status, 200, res.text);
    await eventually(async () => {
      assert.equal((await t.api.get(`${crdPath}/crontabs.stable.example.com`)).status, 404);
      return true;
    });
    assert.equal((await t.api.get(`${crontabs}/daily`)).status, 404);
    assert.equal((await t.api.get('/apis/stable.example.com/v1')).status, 404);
    // Created again, the resource starts empty.
    assert.equal((await t.api.post(crdPath, cronTabCrd)).status, 201);
    await eventually(async () => {
      const list = await t.api.get(crontabs);
      assert.equal(list.status, 200);
      assert.deepEqual(list.json().items, []);
      return true;
    });
  });
});
