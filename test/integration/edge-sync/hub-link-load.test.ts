import assert from 'node:assert/strict';
import { routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aRegistration,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

const gatewayCount = Number(process.env.RESET_GATEWAYS ?? 150);
const messagesEach = Number(process.env.RESET_MESSAGES ?? 20);

describe('edge sync: many gateways publishing while the hub publishes to all of them', function () {
  this.timeout(60_000);
  let hub: MqttTestHub;
  const gateways: Gateway[] = [];
  after(async () => {
    await Promise.all(gateways.map((gw) => gw.client.endAsync(true)));
    await hub.close();
  });

  it('hears every message of every gateway', async () => {
    hub = await startMqttTestHub();
    for (let i = 0; i < gatewayCount; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, gatewayCount - i) }, (_, j) => connectGateway(hub, `gw-r${i + j}`)),
      );
      gateways.push(...batch);
    }
    // Registered, so the hub publishes each one's desired state (QoS 1) meanwhile.
    for (const gw of gateways) await gw.send(routes.register, { ...aRegistration(gw.node), addresses: [] });
    await eventually(
      async () => (await hub.t.api.get('/api/v1/nodes')).json().items.length === gatewayCount,
      {
        timeoutMs: 30_000,
      },
    );
    // Every gateway publishes while the hub publishes Services (shared state, to every gateway).
    const t = Date.now();
    const services = (async () => {
      for (let i = 0; i < 10; i++) {
        const service = {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `svc-${i}` },
          spec: { ports: [{ port: 80 }] },
        };
        assert.equal((await hub.t.api.post('/api/v1/namespaces/default/services', service)).status, 201);
      }
    })();
    await Promise.all([
      services,
      ...gateways.map(async (gw) => {
        for (let s = 1; s <= messagesEach; s++) await gw.send(routes.ack, { revision: s, observedAt: t + s });
      }),
    ]);
    // Every gateway's last message reached edge sync.
    await eventually(() => gateways.every((gw) => hub.edgeSync.appliedRevision(gw.node) === messagesEach), {
      timeoutMs: 30_000,
    });
  });
});
