import assert from 'node:assert/strict';
import type { PodStatus, PodStatusItem } from '../../../api/mqtt/payloads/pod-status.js';
import { routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aRegistration,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

describe('edge sync: pod status and events from a gateway', () => {
  let hub: MqttTestHub;
  let gw: Gateway;
  let uid: string;
  const podPath = '/api/v1/namespaces/default/pods/sensor';

  before(async () => {
    hub = await startMqttTestHub();
    gw = await connectGateway(hub, 'gw-pods');
    await gw.send(routes.register, aRegistration('gw-pods'));
    const res = await hub.t.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sensor', namespace: 'default' },
      spec: { nodeName: 'gw-pods', containers: [{ name: 'reader', image: 'busybox:1.36' }] },
    });
    assert.equal(res.status, 201);
    uid = res.json().metadata.uid;
  });
  after(async () => {
    await gw.client.endAsync(true);
    await hub.close();
  });

  const item = (observedAt: number, phase: PodStatus['phase'], ready: 'True' | 'False'): PodStatusItem => ({
    namespace: 'default',
    name: 'sensor',
    uid,
    observedAt,
    status: { phase, conditions: [{ type: 'Ready', status: ready }] },
  });

  it('writes the reported status through the status path, with its observation time and the stored qosClass', async () => {
    const t = Date.now();
    await gw.send(routes.podStatus, { items: [item(t, 'Running', 'True')] });
    const pod = await eventually(async () => {
      const p = (await hub.t.api.get(podPath)).json();
      return p.status.phase === 'Running' && p;
    });
    const ready = pod.status.conditions.find((c: any) => c.type === 'Ready');
    assert.equal(ready.status, 'True');
    const observed = pod.status.conditions.find((c: any) => c.type === 'flotilla.io/StatusObserved');
    assert.equal(Date.parse(observed.lastProbeTime), t);
    assert.equal(pod.status.qosClass, 'BestEffort');
  });

  it('writes nothing for a status resent as it is stored (every pod after a reconnect)', async () => {
    const t = Date.now() + 1_000;
    await gw.send(routes.podStatus, { items: [item(t, 'Running', 'True')] });
    const written = await eventually(async () => {
      const p = (await hub.t.api.get(podPath)).json();
      const observed = p.status.conditions.find((c: any) => c.type === 'flotilla.io/StatusObserved');
      return Date.parse(observed.lastProbeTime) === t && p;
    });
    await gw.send(routes.podStatus, { items: [item(t, 'Running', 'True')] });
    await gw.send(routes.podStatus, { items: [item(t, 'Running', 'True')] });
    await hub.edgeSync.idle();
    const after = (await hub.t.api.get(podPath)).json();
    assert.equal(after.metadata.resourceVersion, written.metadata.resourceVersion);
  });

  it('never lets an older observation overwrite a newer one', async () => {
    const t = Date.now() + 5_000;
    await gw.send(routes.podStatus, {
      items: [item(t, 'Running', 'False'), item(t - 1_000, 'Pending', 'True')],
    });
    await gw.send(routes.podStatus, { items: [item(t - 2_000, 'Pending', 'True')] });
    await eventually(async () => {
      const p = (await hub.t.api.get(podPath)).json();
      return p.status.conditions.find((c: any) => c.type === 'Ready').status === 'False';
    });
    await hub.edgeSync.idle();
    const pod = (await hub.t.api.get(podPath)).json();
    assert.equal(pod.status.phase, 'Running');
    assert.equal(pod.status.conditions.find((c: any) => c.type === 'Ready').status, 'False');
  });

  it('refuses status for a pod bound to another node, or for another pod of the same name', async () => {
    const other = await connectGateway(hub, 'gw-intruder');
    await other.send(routes.podStatus, { items: [item(Date.now() + 60_000, 'Failed', 'False')] });
    await hub.logged('status of pod default/sensor from node gw-intruder dropped: wrong-node');
    await gw.send(routes.podStatus, {
      items: [{ ...item(Date.now() + 60_000, 'Failed', 'False'), uid: 'not-this-pod' }],
    });
    await hub.logged('status of pod default/sensor from node gw-pods dropped: wrong-uid');
    assert.equal((await hub.t.api.get(podPath)).json().status.phase, 'Running');
    await other.client.endAsync(true);
  });

  it("refuses pod IPs outside the Node's podCIDR, and accepts them inside it or on a host-network pod", async () => {
    const patched = await hub.t.api.patch(
      '/api/v1/nodes/gw-pods',
      { spec: { podCIDR: '10.42.7.0/24', podCIDRs: ['10.42.7.0/24'] } },
      'application/merge-patch+json',
    );
    assert.equal(patched.status, 200, patched.text);
    const withIP = (observedAt: number, ip: string): PodStatusItem => ({
      ...item(observedAt, 'Running', 'True'),
      status: { ...item(observedAt, 'Running', 'True').status, podIP: ip, podIPs: [{ ip }] },
    });
    const t = Date.now() + 120_000;
    // A Service would route to 10.99.0.5: another gateway's pod, or a host on the plant network.
    await gw.send(routes.podStatus, { items: [withIP(t, '10.99.0.5')] });
    await hub.logged('status of pod default/sensor from node gw-pods dropped: ip-outside-pod-cidr');
    assert.equal((await hub.t.api.get(podPath)).json().status.podIP, undefined);
    await gw.send(routes.podStatus, {
      items: [
        {
          ...withIP(t + 1, '10.42.7.9'),
          status: {
            ...withIP(t + 1, '10.42.7.9').status,
            podIPs: [{ ip: '10.42.7.9' }, { ip: '10.99.0.6' }],
          },
        },
      ],
    });
    await hub.logged('status of pod default/sensor from node gw-pods dropped: ip-outside-pod-cidr');
    await gw.send(routes.podStatus, { items: [withIP(t + 2, '10.42.7.9')] });
    await eventually(async () => (await hub.t.api.get(podPath)).json().status.podIP === '10.42.7.9');

    const host = await hub.t.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'host-agent', namespace: 'default' },
      spec: { nodeName: 'gw-pods', hostNetwork: true, containers: [{ name: 'a', image: 'busybox:1.36' }] },
    });
    assert.equal(host.status, 201);
    const hostItem: PodStatusItem = {
      namespace: 'default',
      name: 'host-agent',
      uid: host.json().metadata.uid,
      observedAt: Date.now(),
      status: { phase: 'Running', podIP: '192.168.10.17', podIPs: [{ ip: '192.168.10.17' }] },
    };
    await gw.send(routes.podStatus, { items: [hostItem] });
    await eventually(
      async () =>
        (await hub.t.api.get('/api/v1/namespaces/default/pods/host-agent')).json().status.podIP ===
        '192.168.10.17',
    );
  });

  it('creates events about its pods once, however often the batch is delivered', async () => {
    const report = {
      involvedObject: {
        kind: 'Pod' as const,
        namespace: 'default',
        name: 'sensor',
        uid,
        fieldPath: 'spec.containers{reader}',
      },
      type: 'Normal' as const,
      reason: 'Started',
      message: 'Started container reader',
      observedAt: Date.now(),
    };
    await gw.send(routes.events, { items: [report] });
    await gw.send(routes.events, { items: [report] });
    const foreign = {
      ...report,
      involvedObject: { kind: 'Pod' as const, namespace: 'default', name: 'not-mine' },
    };
    await gw.send(routes.events, { items: [foreign] });
    await hub.logged('event about Pod not-mine from node gw-pods dropped');
    await hub.edgeSync.idle();
    const events = (await hub.t.api.get('/api/v1/namespaces/default/events')).json().items;
    const mine = events.filter((e: any) => e.involvedObject.name === 'sensor');
    assert.equal(mine.length, 1);
    assert.equal(mine[0].reason, 'Started');
    assert.equal(mine[0].source.host, 'gw-pods');
    assert.equal(mine[0].involvedObject.uid, uid);
  });

  it('keeps a repeated event as one Event whose count and lastTimestamp move on', async () => {
    const first = Date.parse('2026-12-06T10:00:00Z');
    const report = (count: number, observedAt: number) => ({
      involvedObject: { kind: 'Node' as const, name: 'gw-pods' },
      type: 'Warning' as const,
      reason: 'FailedCreatePodSandBox',
      message: 'Failed to create pod sandbox: no such host',
      observedAt,
      ...(count > 1 ? { count, firstObservedAt: first } : {}),
    });
    await gw.send(routes.events, { items: [report(1, first)] });
    await gw.send(routes.events, { items: [report(2, first + 10_000), report(3, first + 30_000)] });
    // A redelivery of an older count changes nothing.
    await gw.send(routes.events, { items: [report(2, first + 10_000)] });
    await hub.edgeSync.idle();
    const events = (await hub.t.api.get('/api/v1/namespaces/default/events')).json().items;
    const series = events.filter((e: any) => e.reason === 'FailedCreatePodSandBox');
    assert.equal(series.length, 1);
    assert.equal(series[0].count, 3);
    assert.equal(series[0].firstTimestamp, '2026-12-06T10:00:00Z');
    assert.equal(series[0].lastTimestamp, '2026-12-06T10:00:30Z');
  });
});
