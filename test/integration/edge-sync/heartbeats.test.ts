import assert from 'node:assert/strict';
import { routes } from '../../../api/mqtt/route-table.js';
import type { KubeObject } from '../../../api/types.js';
import { microTime } from '../../../hub/node-heartbeats.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aRegistration,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

const leasePath = (node: string) => `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`;
const nodes = { group: '', resource: 'nodes' };

describe('edge sync: heartbeats cost no store write each, are never starved, and bring a gateway back', () => {
  let hub: MqttTestHub;
  let gw: Gateway;
  const getNode = async (name: string) => (await hub.t.api.get(`/api/v1/nodes/${name}`)).json();
  const ready = (node: any) => node?.status?.conditions?.find((c: any) => c.type === 'Ready');
  const lease = async (node: string) => {
    const res = await hub.t.api.get(leasePath(node));
    return res.status === 200 ? res.json() : undefined;
  };
  before(async () => {
    hub = await startMqttTestHub();
    gw = await connectGateway(hub, 'gw-hb');
    await gw.send(routes.register, aRegistration('gw-hb'));
    await eventually(async () => (await hub.t.api.get('/api/v1/nodes/gw-hb')).status === 200);
  });
  after(async () => {
    await gw.client.endAsync(true);
    await hub.close();
  });

  it('keeps heartbeats in memory and writes the Lease only when it is 30 s behind', async () => {
    const first = Date.now();
    await gw.send(routes.heartbeat, { t: first, s: 1 });
    const created = await eventually(() => lease('gw-hb'));
    for (const [i, offset] of [10_000, 20_000].entries()) {
      await gw.send(routes.heartbeat, { t: first + offset, s: i + 2 });
    }
    await eventually(() => hub.t.hub.heartbeats.renewTime('gw-hb') === microTime(first + 20_000));
    await hub.edgeSync.idle();
    const stored = await lease('gw-hb');
    assert.equal(stored.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(Date.parse(stored.spec.renewTime), first);

    await gw.send(routes.heartbeat, { t: first + 30_000, s: 4 });
    await eventually(async () => Date.parse((await lease('gw-hb')).spec.renewTime) === first + 30_000);
  });

  it('renews the Lease while a node status is still being written', async () => {
    const store = hub.t.hub.registry.for(nodes);
    const modify = store.modify.bind(store);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;
    store.modify = async (...args: Parameters<typeof store.modify>) => {
      if (args[1] === 'gw-hb' && args[3]?.subresource === 'status' && !holding) {
        holding = true;
        await held;
      }
      return modify(...args);
    };
    try {
      const later = Date.now() + 120_000;
      await gw.send(routes.nodeStatus, {
        observedAt: later,
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      });
      await eventually(() => holding);
      await gw.send(routes.heartbeat, { t: later, s: 10 });
      await eventually(async () => Date.parse((await lease('gw-hb')).spec.renewTime) === later);
      assert.equal(holding, true, 'the node status is still held');
    } finally {
      release();
      store.modify = modify;
    }
    await hub.edgeSync.idle();
  });

  it('makes a gateway marked unreachable by silence Ready again at its next heartbeat', async () => {
    const observedAt = Date.now() + 200_000;
    await gw.send(routes.nodeStatus, {
      observedAt,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
    });
    await eventually(async () => Date.parse(ready(await getNode('gw-hb')).lastHeartbeatTime) === observedAt);
    // What the node lifecycle controller writes after the grace period of silence.
    await hub.t.hub.registry.for(nodes).modify(
      undefined,
      'gw-hb',
      (node: KubeObject) => {
        const status = node.status as { conditions: any[] };
        const conditions = status.conditions.map((c) =>
          c.type === 'Ready'
            ? {
                ...c,
                status: 'Unknown',
                reason: 'NodeStatusUnknown',
                message: 'Kubelet stopped posting node status.',
              }
            : c,
        );
        return { ...node, status: { ...status, conditions } };
      },
      { subresource: 'status' },
    );
    await eventually(async () => ready(await getNode('gw-hb')).status === 'Unknown');
    await gw.send(routes.heartbeat, { t: observedAt + 1000, s: 20 });
    const back = await eventually(async () => {
      const condition = ready(await getNode('gw-hb'));
      return condition.status === 'True' && condition;
    });
    assert.equal(back.reason, 'KubeletReady');
    assert.equal(back.message, 'kubelet is posting ready status');
    assert.equal(Date.parse(back.lastHeartbeatTime), observedAt);
  });
});
