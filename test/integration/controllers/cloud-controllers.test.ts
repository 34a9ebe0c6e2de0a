import assert from 'node:assert/strict';
import { cloudControllers } from '../../../hub/cloud/cloud-controllers.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { type Harness, node, startControllers, until } from './controller-harness.js';

const sites = '/apis/flotilla.io/v1alpha1/sites';

const aSite = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'flotilla.io/v1alpha1',
  kind: 'Site',
  metadata: { name },
  spec,
});

const plantA = aSite('plant-a', {
  region: 'eu-west',
  zone: 'hall-3',
  networks: ['172.31.5.0/24'],
  gateways: { names: ['gw-1', 'gw-2', 'gw-old', 'gw-off'] },
  labels: { 'flotilla.io/line': '4' },
  addressPools: [{ name: 'default', addresses: ['172.31.5.200-172.31.5.201'] }],
  decommissioned: ['gw-old'],
  poweredOff: ['gw-off'],
});

const lbService = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }], ...extra },
});

describe('cloud controller manager, site provider (real hub)', () => {
  let t: TestHub;
  let h: Harness;
  let stopCloud = () => {};
  before(async () => {
    t = await startTestHub();
    h = startControllers(t, []);
    const controllers = cloudControllers(h.ctx, 'site');
    for (const controller of controllers) controller.start();
    stopCloud = () => {
      for (const controller of controllers) controller.stop();
    };
  });
  after(async () => {
    stopCloud();
    h.stop();
    await t.close();
  });

  const getNode = async (name: string) => (await t.api.get(`/api/v1/nodes/${name}`)).json();
  const getService = async (name: string) =>
    (await t.api.get(`/api/v1/namespaces/default/services/${name}`)).json();
  const eventsOf = async (name: string) =>
    (await t.api.get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=${name}`))
      .json()
      .items.map((e: { reason: string; message: string }) => `${e.reason}: ${e.message}`);

  it('refuses bad inventory with 422 naming the field', async () => {
    const outside = await t.api.post(
      sites,
      aSite('bad', {
        networks: ['10.0.0.0/24'],
        gateways: { names: ['x'] },
        addressPools: [{ name: 'p', addresses: ['10.0.1.5'] }],
      }),
    );
    assert.equal(outside.status, 422);
    assert.match(
      outside.json().message,
      /spec\.addressPools\[0\]\.addresses\[0\]: Invalid value: "10\.0\.1\.5": must be inside one of spec\.networks/,
    );
    assert.equal((await t.api.post(sites, plantA)).status, 201);
    const overlap = await t.api.post(
      sites,
      aSite('plant-b', {
        networks: ['172.31.5.0/24'],
        gateways: { names: ['gw-9'] },
        addressPools: [{ name: 'p', addresses: ['172.31.5.192/28'] }],
      }),
    );
    assert.equal(overlap.status, 422);
    assert.match(
      overlap.json().message,
      /spec\.addressPools\[0\]\.addresses\[0\].*overlaps 172\.31\.5\.200-172\.31\.5\.201 of pool default of site plant-a/,
    );
    const twice = await t.api.post(sites, aSite('plant-c', { gateways: { names: ['gw-3', 'gw-1'] } }));
    assert.equal(twice.status, 422);
    assert.match(
      twice.json().message,
      /spec\.gateways\.names\[1\]: Invalid value: "gw-1": gateway is already in site plant-a/,
    );
  });

  it('initializes a gateway of the site: providerID, topology, instance type, site labels, no uninitialized taint', async () => {
    const taint = {
      key: 'node.cloudprovider.kubernetes.io/uninitialized',
      value: 'true',
      effect: 'NoSchedule',
    };
    await t.api.post('/api/v1/nodes', {
      ...node('gw-1'),
      metadata: {
        name: 'gw-1',
        labels: { 'kubernetes.io/hostname': 'gw-1' },
        annotations: { 'flotilla.io/hardware-model': 'Raspberry Pi 4 Model B Rev 1.4' },
      },
      spec: { taints: [taint] },
      status: { addresses: [{ type: 'InternalIP', address: '172.31.5.11' }] },
    });
    await until(async () => assert.equal((await getNode('gw-1')).spec.providerID, 'flotilla://plant-a/gw-1'));
    const gw1 = await getNode('gw-1');
    assert.equal(gw1.metadata.labels['topology.kubernetes.io/region'], 'eu-west');
    assert.equal(gw1.metadata.labels['topology.kubernetes.io/zone'], 'hall-3');
    assert.equal(gw1.metadata.labels['node.kubernetes.io/instance-type'], 'Raspberry-Pi-4-Model-B-Rev-1.4');
    assert.equal(gw1.metadata.labels['flotilla.io/line'], '4');
    assert.equal(gw1.spec.taints, undefined);
  });

  it('lifts the uninitialized taint of a gateway no site knows, and gives it no site metadata', async () => {
    const taint = {
      key: 'node.cloudprovider.kubernetes.io/uninitialized',
      value: 'true',
      effect: 'NoSchedule',
    };
    await t.api.post('/api/v1/nodes', { ...node('stray'), spec: { taints: [taint] } });
    await until(async () => assert.equal((await getNode('stray')).spec.taints, undefined));
    assert.equal((await getNode('stray')).spec.providerID, undefined);
  });

  it('taints a powered-off gateway, deletes a decommissioned one, keeps an unreachable one', async () => {
    await t.api.post('/api/v1/nodes', node('gw-off'));
    await t.api.post('/api/v1/nodes', node('gw-old'));
    const unknown = {
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      lastHeartbeatTime: '2026-01-01T00:00:00Z',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    };
    await t.api.post('/api/v1/nodes', { ...node('gw-2'), status: { conditions: [unknown] } });
    await until(async () =>
      assert.deepEqual((await getNode('gw-off')).spec.taints, [
        { key: 'node.cloudprovider.kubernetes.io/shutdown', effect: 'NoSchedule' },
      ]),
    );
    await until(async () => assert.equal((await t.api.get('/api/v1/nodes/gw-old')).status, 404));
    await until(async () => assert.equal((await getNode('gw-2')).spec.providerID, 'flotilla://plant-a/gw-2'));
    // Powered on again: the taint goes.
    await t.api.patch(sites + '/plant-a', { spec: { poweredOff: [] } }, 'application/merge-patch+json');
    await until(async () => assert.equal((await getNode('gw-off')).spec.taints, undefined));
  });

  it('gives LoadBalancer Services pool addresses, honours a requested one, and says when the pool is exhausted', async () => {
    await t.api.post(
      '/api/v1/namespaces/default/services',
      lbService('wanted', { loadBalancerIP: '172.31.5.201' }),
    );
    await until(async () =>
      assert.deepEqual((await getService('wanted')).status.loadBalancer.ingress, [
        { ip: '172.31.5.201', ipMode: 'VIP' },
      ]),
    );
    const wanted = await getService('wanted');
    assert.equal(wanted.metadata.annotations['flotilla.io/announcers'], 'gw-1,gw-2,gw-off');
    await t.api.post('/api/v1/namespaces/default/services', lbService('first'));
    await until(async () =>
      assert.equal((await getService('first')).status.loadBalancer.ingress?.[0]?.ip, '172.31.5.200'),
    );
    // The event follows the status write.
    await until(async () =>
      assert.ok(
        (await eventsOf('first')).some((e: string) =>
          e.startsWith(
            'EnsuredLoadBalancer: Ensured load balancer: address 172.31.5.200 from pool default of site plant-a',
          ),
        ),
      ),
    );
    await t.api.post('/api/v1/namespaces/default/services', lbService('third'));
    await until(async () =>
      assert.ok(
        (await eventsOf('third')).some((e: string) =>
          e.startsWith('PoolExhausted: no free address in pool(s) default of site plant-a'),
        ),
      ),
    );
    assert.deepEqual((await getService('third')).status.loadBalancer, {});
    // Released when a Service goes: the waiting one gets the address.
    await t.api.delete('/api/v1/namespaces/default/services/first');
    await until(async () =>
      assert.equal((await getService('third')).status.loadBalancer.ingress?.[0]?.ip, '172.31.5.200'),
    );
  });

  it('leaves a gateway labelled exclude-from-external-load-balancers out of the announcers', async () => {
    const before = (await getService('wanted')).metadata.annotations['flotilla.io/announcers'];
    assert.ok(before.split(',').includes('gw-2'), before);
    const labelled = await t.api.patch(
      '/api/v1/nodes/gw-2',
      { metadata: { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } } },
      'application/merge-patch+json',
    );
    assert.equal(labelled.status, 200, labelled.text);
    // The Services already balanced follow the node's label.
    await until(async () => {
      const annotated = await getService('wanted');
      const announcers = annotated.metadata.annotations?.['flotilla.io/announcers'] ?? '';
      assert.ok(announcers.split(',').includes('gw-1'), announcers);
      assert.ok(!announcers.split(',').includes('gw-2'), announcers);
    });
  });

  it('leaves Services of another loadBalancerClass alone, and clears a Service that stops being a LoadBalancer', async () => {
    await t.api.post(
      '/api/v1/namespaces/default/services',
      lbService('other', { loadBalancerClass: 'example.com/lb' }),
    );
    const patched = await t.api.patch(
      '/api/v1/namespaces/default/services/third',
      {
        spec: {
          type: 'ClusterIP',
          ports: [{ port: 80 }],
          externalTrafficPolicy: null,
          allocateLoadBalancerNodePorts: null,
        },
      },
      'application/merge-patch+json',
    );
    assert.equal(patched.status, 200, patched.text);
    await until(async () =>
      assert.equal((await getService('third')).status?.loadBalancer?.ingress, undefined),
    );
    assert.equal((await getService('third')).metadata.annotations?.['flotilla.io/announcers'], undefined);
    assert.deepEqual((await getService('other')).status.loadBalancer, {});
    // allocateLoadBalancerNodePorts: false gets no node port; true (the default) gets one.
    await t.api.post(
      '/api/v1/namespaces/default/services',
      lbService('no-node-ports', {
        loadBalancerClass: 'example.com/lb',
        allocateLoadBalancerNodePorts: false,
      }),
    );
    assert.equal((await getService('no-node-ports')).spec.ports[0].nodePort, undefined);
    assert.ok((await getService('other')).spec.ports[0].nodePort >= 30000);
  });
});
