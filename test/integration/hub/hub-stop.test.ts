import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import { aRegistration, connectGateway, startMqttTestHub } from '../edge-sync/mqtt-hub.js';

const nodes = { group: '', resource: 'nodes' };

describe('The hub stops promptly', () => {
  it('does not wait for connections that never finished the TLS handshake or never sent CONNECT', async () => {
    const hub = await startMqttTestHub();
    const port = hub.mqtt.mqttPort;
    const raw = tcpConnect(port, '127.0.0.1');
    raw.on('error', () => {});
    const silent = tlsConnect({ port, host: '127.0.0.1', ca: hub.mqtt.caPem, servername: 'localhost' });
    silent.on('error', () => {});
    await new Promise<void>((resolve) => silent.once('secureConnect', () => resolve()));
    await eventually(() => raw.readyState === 'open');
    // Before, close() waited for the 15 s handshake and CONNECT timeouts (and longer for reconnecting gateways).
    await hub.close();
    await eventually(() => raw.destroyed || raw.readyState === 'closed');
  });

  it('drops the status still queued instead of writing it all before stopping', async () => {
    const hub = await startMqttTestHub();
    const gw = await connectGateway(hub, 'gw-stop');
    await gw.send(routes.register, aRegistration('gw-stop'));
    await eventually(async () => (await hub.t.api.get('/api/v1/nodes/gw-stop')).status === 200);
    await hub.edgeSync.idle();
    const store = hub.t.hub.registry.for(nodes);
    const modify = store.modify.bind(store);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let statusWrites = 0;
    store.modify = async (...args: Parameters<typeof store.modify>) => {
      if (args[3]?.subresource === 'status') {
        statusWrites++;
        await held;
      }
      return modify(...args);
    };
    const base = Date.now();
    for (let i = 0; i < 8; i++) {
      await gw.send(routes.nodeStatus, {
        observedAt: base + i,
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
      });
    }
    await eventually(() => statusWrites === 1);
    await gw.client.endAsync(true);
    const stopped = hub.close();
    release();
    await stopped;
    store.modify = modify;
    assert.ok(statusWrites < 8, `${statusWrites} node status writes after stop began`);
  });
});
