import assert from 'node:assert/strict';
import { EndpointsController } from '../../../hub/controllers/endpoints/endpoints-controller.js';
import { EndpointSliceController } from '../../../hub/controllers/endpoints/endpointslice-controller.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import {
  type Harness,
  listItems,
  modify,
  setPodStatus,
  startControllers,
  until,
} from './controller-harness.js';

const ns = '/api/v1/namespaces/default';
const slicesPath = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';

const service = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, labels: { tier: 'front' } },
  spec: {
    selector: { app: name },
    ports: [
      { name: 'http', port: 80, targetPort: 'web' },
      { name: 'metrics', port: 9090, targetPort: 9090 },
    ],
    ...spec,
  },
});

const pod = (name: string, app: string, webPort: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app }, ...extra },
  spec: { containers: [{ name: 'c', image: 'web:1', ports: [{ name: 'web', containerPort: webPort }] }] },
});

describe('Endpoints and EndpointSlice controllers (real hub)', () => {
  let t: TestHub;
  let h: Harness;
  before(async () => {
    t = await startTestHub();
    h = startControllers(t, [
      (ctx) => new EndpointsController(ctx),
      (ctx) => new EndpointSliceController(ctx),
    ]);
  });
  after(async () => {
    h.stop();
    await t.close();
  });

  const endpoints = async (name: string) => (await t.api.get(`${ns}/endpoints/${name}`)).json();
  const slices = async (name: string) =>
    listItems(t, `${slicesPath}?labelSelector=kubernetes.io/service-name=${name}`);
  const sliceEndpoints = async (name: string) =>
    (await slices(name))
      .flatMap((s) => s.endpoints ?? [])
      .sort((a: any, b: any) => a.targetRef.name.localeCompare(b.targetRef.name));

  it('follows pod readiness, resolving named target ports per pod', async () => {
    await t.api.post(`${ns}/services`, service('web'));
    await until(async () => assert.deepEqual((await endpoints('web')).subsets, []));
    await t.api.post(`${ns}/pods`, pod('web-1', 'web', 8080));
    await t.api.post(`${ns}/pods`, pod('web-2', 'web', 8081));
    await setPodStatus(t, 'default', 'web-1', 'Running', false, { podIP: '10.42.0.11' });
    await setPodStatus(t, 'default', 'web-2', 'Running', true, { podIP: '10.42.0.12' });
    await until(async () => {
      const subsets = (await endpoints('web')).subsets;
      assert.equal(subsets.length, 2);
      const byPort = Object.fromEntries(
        subsets.map((s: any) => [s.ports.find((p: any) => p.name === 'http').port, s]),
      );
      assert.equal(byPort[8080].notReadyAddresses[0].ip, '10.42.0.11');
      assert.equal(byPort[8080].addresses, undefined);
      assert.equal(byPort[8081].addresses[0].ip, '10.42.0.12');
      assert.equal(byPort[8081].addresses[0].targetRef.name, 'web-2');
    });
    await until(async () => {
      const all = await slices('web');
      assert.equal(all.length, 2);
      assert.ok(
        all.every(
          (s) =>
            s.addressType === 'IPv4' &&
            s.metadata.labels['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io',
        ),
      );
      assert.ok(
        all.every(
          (s) => s.metadata.labels.tier === 'front' && s.metadata.ownerReferences[0].kind === 'Service',
        ),
      );
      const [one, two] = await sliceEndpoints('web');
      assert.deepEqual(one.conditions, { ready: false, serving: false, terminating: false });
      assert.deepEqual(two.conditions, { ready: true, serving: true, terminating: false });
    });
    await setPodStatus(t, 'default', 'web-1', 'Running', true, { podIP: '10.42.0.11' });
    await until(async () => assert.equal((await endpoints('web')).subsets[0].addresses[0].ip, '10.42.0.11'));
  });

  it('drops terminating pods from Endpoints but keeps them in slices as terminating', async () => {
    await t.api.post(`${ns}/pods`, pod('web-3', 'web', 8080, { finalizers: ['example.com/hold'] }));
    await setPodStatus(t, 'default', 'web-3', 'Running', true, { podIP: '10.42.0.13' });
    await until(async () => assert.equal((await sliceEndpoints('web')).length, 3));
    await t.api.delete(`${ns}/pods/web-3`);
    await until(async () => {
      const terminating = (await sliceEndpoints('web')).find((e: any) => e.targetRef.name === 'web-3');
      assert.deepEqual(terminating.conditions, { ready: false, serving: true, terminating: true });
      const ips = (await endpoints('web')).subsets.flatMap((s: any) =>
        (s.addresses ?? []).map((a: any) => a.ip),
      );
      assert.ok(!ips.includes('10.42.0.13'));
    });
    await modify(t, `${ns}/pods/web-3`, (p) => {
      p.metadata.finalizers = [];
    });
    await until(async () => assert.equal((await sliceEndpoints('web')).length, 2));
  });

  it('lists unready pods as ready with publishNotReadyAddresses', async () => {
    await t.api.post(`${ns}/services`, service('warm', { publishNotReadyAddresses: true }));
    await t.api.post(`${ns}/pods`, pod('warm-1', 'warm', 8080));
    await setPodStatus(t, 'default', 'warm-1', 'Pending', false, { podIP: '10.42.0.21' });
    await until(async () => assert.equal((await endpoints('warm')).subsets[0].addresses[0].ip, '10.42.0.21'));
    await until(async () => assert.equal((await sliceEndpoints('warm'))[0]?.conditions.ready, true));
  });

  it('leaves selector-less and ExternalName services to their owners, and cleans up deleted ones', async () => {
    await t.api.post(`${ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'external-db' },
      spec: { ports: [{ port: 5432 }] },
    });
    const manual = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external-db' },
      subsets: [{ addresses: [{ ip: '192.168.1.50' }], ports: [{ port: 5432 }] }],
    };
    assert.equal((await t.api.post(`${ns}/endpoints`, manual)).status, 201);
    await t.api.post(`${ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'alias' },
      spec: { type: 'ExternalName', externalName: 'db.example.com' },
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await endpoints('external-db')).subsets[0].addresses[0].ip, '192.168.1.50');
    assert.equal((await slices('external-db')).length, 0);
    assert.equal((await t.api.get(`${ns}/endpoints/alias`)).status, 404);
    assert.equal((await slices('alias')).length, 0);

    await t.api.delete(`${ns}/services/web`);
    await until(async () => assert.equal((await t.api.get(`${ns}/endpoints/web`)).status, 404));
    await until(async () => assert.equal((await slices('web')).length, 0));
  });
});
