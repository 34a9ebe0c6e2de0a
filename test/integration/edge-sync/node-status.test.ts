import assert from 'node:assert/strict';
import { routes } from '../../../api/mqtt/route-table.js';
import { microTime } from '../../../hub/node-heartbeats.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aRegistration,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

describe('edge sync: gateways join and report node status over MQTT', () => {
  let hub: MqttTestHub;
  let gw: Gateway;
  before(async () => {
    hub = await startMqttTestHub();
    gw = await connectGateway(hub, 'gw-reg');
  });
  after(async () => {
    await gw.client.endAsync(true);
    await hub.close();
  });

  const getNode = async (name: string) => {
    const res = await hub.t.api.get(`/api/v1/nodes/${name}`);
    return res.status === 200 ? res.json() : undefined;
  };
  const ready = (node: any) => node?.status?.conditions?.find((c: any) => c.type === 'Ready');

  it('creates the Node from a registration, with its labels, taints, addresses and Ready=True', async () => {
    const taints = [{ key: 'flotilla.io/site', value: 'hall-3', effect: 'NoSchedule' as const }];
    await gw.send(routes.register, { ...aRegistration('gw-reg'), taints });
    const node = await eventually(() => getNode('gw-reg'));
    assert.equal(node.metadata.labels['kubernetes.io/arch'], 'arm64');
    assert.equal(node.metadata.labels['kubernetes.io/os'], 'linux');
    assert.equal(node.metadata.labels['kubernetes.io/hostname'], 'gw-reg');
    assert.equal(node.metadata.labels['flotilla.io/site'], 'hall-3');
    assert.deepEqual(node.spec.taints, [{ key: 'flotilla.io/site', value: 'hall-3', effect: 'NoSchedule' }]);
    assert.deepEqual(node.status.addresses, [{ type: 'InternalIP', address: '192.168.10.17' }]);
    assert.equal(node.status.capacity.cpu, '4');
    assert.equal(node.status.nodeInfo.architecture, 'arm64');
    // Every NodeSystemInfo field, "" when not reported, as Go clients and the Python client expect.
    assert.equal(Object.keys(node.status.nodeInfo).length, 10);
    assert.equal(typeof node.status.nodeInfo.kubeProxyVersion, 'string');
    assert.equal(typeof node.status.nodeInfo.systemUUID, 'string');
    assert.equal(ready(node).status, 'True');
  });

  it('refreshes labels on a later registration but leaves taints as they are', async () => {
    const reg = aRegistration('gw-reg');
    reg.labels['flotilla.io/site'] = 'hall-4';
    reg.taints = [];
    await gw.send(routes.register, reg);
    const node = await eventually(async () => {
      const n = await getNode('gw-reg');
      return n.metadata.labels['flotilla.io/site'] === 'hall-4' && n;
    });
    assert.equal(node.spec.taints.length, 1);
  });

  it('creates the node Lease from a heartbeat, then renews it', async () => {
    const first = Date.now();
    await gw.send(routes.heartbeat, { t: first, s: 1 });
    const lease = await eventually(async () => {
      const res = await hub.t.api.get(
        '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/gw-reg',
      );
      return res.status === 200 && res.json();
    });
    assert.equal(lease.spec.holderIdentity, 'gw-reg');
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.equal(Date.parse(lease.spec.renewTime), first);
    assert.equal(lease.metadata.ownerReferences[0].kind, 'Node');

    // Renewed in memory at every beat; written once the stored renewTime is 30 s behind.
    await gw.send(routes.heartbeat, { t: first + 10_000, s: 2 });
    await eventually(() => hub.t.hub.heartbeats.renewTime('gw-reg') === microTime(first + 10_000));
    await gw.send(routes.heartbeat, { t: first + 30_000, s: 3 });
    await eventually(async () => {
      const res = await hub.t.api.get(
        '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/gw-reg',
      );
      return Date.parse(res.json().spec.renewTime) === first + 30_000;
    });
  });

  it('folds node status into the Node, and ignores a report older than the stored one', async () => {
    const now = Date.now() + 60_000;
    await gw.send(routes.nodeStatus, {
      observedAt: now,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady' },
        { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure' },
      ],
    });
    await gw.send(routes.nodeStatus, {
      observedAt: now - 30_000,
      conditions: [{ type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' }],
    });
    await eventually(async () => {
      const node = await getNode('gw-reg');
      const disk = node.status.conditions.find((c: any) => c.type === 'DiskPressure');
      return disk?.status === 'True' && Date.parse(disk.lastHeartbeatTime) === now;
    });
    await hub.edgeSync.idle();
    const node = await getNode('gw-reg');
    const disk = node.status.conditions.find((c: any) => c.type === 'DiskPressure');
    assert.equal(disk.status, 'True');
    assert.equal(Date.parse(ready(node).lastHeartbeatTime), now);
  });

  it('does not write a status that changes only heartbeat times, nor one older than a report it skipped', async () => {
    const at = Date.now() + 120_000;
    const conditions = [
      { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
    ] as const;
    await gw.send(routes.nodeStatus, { observedAt: at, conditions: [...conditions] });
    await hub.edgeSync.idle();
    const written = await getNode('gw-reg');
    assert.equal(Date.parse(ready(written).lastHeartbeatTime), at);
    // The same facts 20 s later (a reconnect's forced status): no write, not even a new resourceVersion.
    await gw.send(routes.nodeStatus, { observedAt: at + 20_000, conditions: [...conditions] });
    // Then a report from between the two, delivered late, saying something else: older than one seen.
    await gw.send(routes.nodeStatus, {
      observedAt: at + 10_000,
      conditions: [{ type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure' }],
    });
    await hub.edgeSync.idle();
    assert.equal((await getNode('gw-reg')).metadata.resourceVersion, written.metadata.resourceVersion);
    // A change is written at once, with its own heartbeat time.
    await gw.send(routes.nodeStatus, {
      observedAt: at + 30_000,
      conditions: [{ type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure' }],
    });
    await hub.edgeSync.idle();
    const changed = await getNode('gw-reg');
    const disk = changed.status.conditions.find((c: any) => c.type === 'DiskPressure');
    assert.equal(disk.status, 'True');
    assert.equal(Date.parse(disk.lastHeartbeatTime), at + 30_000);
    // Unchanged but 5 minutes after the stored heartbeat: written, to refresh it.
    await gw.send(routes.nodeStatus, {
      observedAt: at + 30_000 + 5 * 60_000,
      conditions: [{ type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure' }],
    });
    await hub.edgeSync.idle();
    const refreshed = await getNode('gw-reg');
    const again = refreshed.status.conditions.find((c: any) => c.type === 'DiskPressure');
    assert.equal(Date.parse(again.lastHeartbeatTime), at + 30_000 + 5 * 60_000);
  });

  it('does not write a registration that changes only the Ready heartbeat, and writes one that changes a fact', async () => {
    const at = Date.now() + 20 * 60_000;
    await gw.send(routes.nodeStatus, {
      observedAt: at,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'agent is posting ready status' },
      ],
    });
    await hub.edgeSync.idle();
    const reported = await getNode('gw-reg');
    // A reconnect: registration, then the same node status, both 20 s later. Neither writes, and
    // the registration leaves the gateway's own Ready message as it was.
    const again = aRegistration('gw-reg', at + 20_000);
    again.labels['flotilla.io/site'] = 'hall-4';
    await gw.send(routes.register, again);
    await hub.edgeSync.idle();
    await gw.send(routes.nodeStatus, {
      observedAt: at + 20_000,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'agent is posting ready status' },
      ],
    });
    await hub.edgeSync.idle();
    const after = await getNode('gw-reg');
    assert.equal(after.metadata.resourceVersion, reported.metadata.resourceVersion);
    assert.equal(ready(after).message, 'agent is posting ready status');
    // A new address is a fact: written at once, with the registration's heartbeat.
    const moved = { ...again, observedAt: at + 40_000 };
    moved.addresses = [{ type: 'InternalIP', address: '192.168.10.18' }];
    await gw.send(routes.register, moved);
    await hub.edgeSync.idle();
    const written = await getNode('gw-reg');
    assert.deepEqual(written.status.addresses, [{ type: 'InternalIP', address: '192.168.10.18' }]);
    assert.equal(Date.parse(ready(written).lastHeartbeatTime), at + 40_000);
    assert.equal(ready(written).message, 'agent is posting ready status');
  });

  it('drops a malformed registration with a log line and keeps the session', async () => {
    const bad = { ...aRegistration('gw-reg'), capacity: { cpu: 'lots' } };
    await gw.send(routes.register, bad);
    const line = await hub.logged('dropped flotilla/v1/nodes/gw-reg/register', 'node:gw-reg');
    assert.match(line, /capacity\[cpu\]/);
    assert.equal(gw.client.connected, true);
    await gw.client.publishAsync('flotilla/v1/nodes/gw-reg/heartbeat', Buffer.from('{not json'), { qos: 1 });
    await hub.logged('dropped flotilla/v1/nodes/gw-reg/heartbeat', 'not JSON');
    await gw.client.publishAsync('flotilla/v1/nodes/gw-reg/heartbeat', Buffer.alloc(4096, 'x'), { qos: 1 });
    await hub.logged('dropped flotilla/v1/nodes/gw-reg/heartbeat', '4096 bytes');
    assert.equal(gw.client.connected, true);
  });
});
