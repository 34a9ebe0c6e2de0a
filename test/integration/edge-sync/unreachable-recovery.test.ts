import assert from 'node:assert/strict';
import { routes } from '../../../api/mqtt/route-table.js';
import type { KubeObject } from '../../../api/types.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aRegistration,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

const nodes = { group: '', resource: 'nodes' };

describe('a gateway marked unreachable by silence, heard again (edge sync, node lifecycle, scheduler)', () => {
  let hub: MqttTestHub;
  let gw: Gateway;
  after(async () => {
    await gw.client.endAsync(true);
    await hub.close();
  });
  const getNode = async () => (await hub.t.api.get('/api/v1/nodes/gw-back')).json();
  const taints = async () => ((await getNode()).spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);

  it('is Ready and untainted at its next heartbeat, and the pod left Pending meanwhile is scheduled', async () => {
    hub = await startMqttTestHub({ controllers: ['namespace', 'node-lifecycle', 'scheduler'] });
    gw = await connectGateway(hub, 'gw-back');
    await gw.send(routes.register, { ...aRegistration('gw-back'), taints: [] });
    await gw.send(routes.heartbeat, { t: Date.now(), s: 1 });
    await eventually(async () => (await hub.t.api.get('/api/v1/nodes/gw-back')).status === 200);
    // What the node lifecycle controller writes after the grace period of silence.
    await hub.t.hub.registry.for(nodes).modify(
      undefined,
      'gw-back',
      (node: KubeObject) => {
        const status = node.status as { conditions: any[] };
        const conditions = status.conditions.map((c) =>
          c.type === 'Ready'
            ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'silent' }
            : c,
        );
        return { ...node, status: { ...status, conditions } };
      },
      { subresource: 'status' },
    );
    await eventually(async () => (await taints()).includes('node.kubernetes.io/unreachable:NoSchedule'));
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'waits' },
      spec: { containers: [{ name: 'c', image: 'app:1' }] },
    };
    assert.equal((await hub.t.api.post('/api/v1/namespaces/default/pods', pod)).status, 201);
    await eventually(async () => {
      const got = (await hub.t.api.get('/api/v1/namespaces/default/pods/waits')).json();
      return got.status?.conditions?.some(
        (c: any) => c.type === 'PodScheduled' && c.reason === 'Unschedulable',
      );
    });

    await gw.send(routes.heartbeat, { t: Date.now(), s: 2 });
    await eventually(async () => (await taints()).length === 0);
    const ready = (await getNode()).status.conditions.find((c: any) => c.type === 'Ready');
    assert.equal(ready.status, 'True');
    const bound = await eventually(
      async () => (await hub.t.api.get('/api/v1/namespaces/default/pods/waits')).json().spec.nodeName,
    );
    assert.equal(bound, 'gw-back');
  });
});
