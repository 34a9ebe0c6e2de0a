import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { connectAsync } from 'mqtt';
import { encodePayload } from '../../../api/mqtt/codec.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aNodeKey,
  aRegistration,
  closedByBroker,
  connectDashboard,
  connectGateway,
  type Gateway,
  grantedQos,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

describe('embedded broker: who may connect, publish and subscribe', () => {
  let hub: MqttTestHub;
  const open: Gateway[] = [];
  const track = (g: Gateway) => {
    open.push(g);
    return g;
  };
  before(async () => {
    hub = await startMqttTestHub();
  });
  afterEach(async () => {
    for (const g of open.splice(0)) await g.client.endAsync(true).catch(() => {});
  });
  after(async () => {
    await hub.close();
  });

  it('refuses a new gateway with a wrong bootstrap token', async () => {
    await assert.rejects(
      connectGateway(hub, 'gw-new', { joinToken: 'not-the-token' }),
      /Bad username or password/,
    );
    await hub.logged('refused connection of node:gw-new', 'bootstrap token is not of the form');
    await assert.rejects(
      connectGateway(hub, 'gw-new', { joinToken: 'abcdef.0123456789abcdef' }),
      /Bad username or password/,
    );
    await hub.logged('refused connection of node:gw-new', 'bootstrap token abcdef is unknown or revoked');
  });

  it('refuses a client id that is not node:<username>', async () => {
    await assert.rejects(connectGateway(hub, 'gw-a', { clientId: 'node:gw-b' }), /Identifier rejected/);
  });

  it('refuses a second client claiming a connected name with another node key', async () => {
    const key = aNodeKey();
    const first = track(await connectGateway(hub, 'gw-a', { nodeKey: key }));
    await assert.rejects(connectGateway(hub, 'gw-a', { nodeKey: aNodeKey() }), /Not authorized/);
    await hub.logged('refused connection of node:gw-a', 'node gw-a is bound to another node key');
    assert.equal(first.client.connected, true);
  });

  it('lets the same node key take the session over (a half-open old connection)', async () => {
    const key = aNodeKey();
    const first = track(await connectGateway(hub, 'gw-t', { nodeKey: key }));
    const second = track(await connectGateway(hub, 'gw-t', { nodeKey: key }));
    await closedByBroker(first.client);
    assert.equal(second.client.connected, true);
    await second.send(routes.register, aRegistration('gw-t'));
    await eventually(async () => (await hub.t.api.get('/api/v1/nodes/gw-t')).status === 200);
  });

  it('closes a gateway that publishes under another node, and keeps serving the others', async () => {
    const bad = track(await connectGateway(hub, 'gw-bad'));
    const good = track(await connectGateway(hub, 'gw-good'));
    bad.client.publish(
      buildTopic(routes.heartbeat, { node: 'gw-good' }),
      encodePayload({ t: Date.now(), s: 1 }),
    );
    await closedByBroker(bad.client);
    await hub.logged('refused publish by node:gw-bad to flotilla/v1/nodes/gw-good/heartbeat');
    await good.send(routes.register, aRegistration('gw-good'));
    await eventually(async () => (await hub.t.api.get('/api/v1/nodes/gw-good')).status === 200);
  });

  it('refuses publishes to $SYS and to topics outside the route table', async () => {
    const g = track(await connectGateway(hub, 'gw-sys'));
    g.client.publish('$SYS/broker/fake', 'x');
    await closedByBroker(g.client);
    await hub.logged('refused publish by node:gw-sys to $SYS/broker/fake');
    const h = track(await connectGateway(hub, 'gw-sys'));
    h.client.publish('factory/line-1/temperature', '21');
    await closedByBroker(h.client);
    await hub.logged('refused publish by node:gw-sys to factory/line-1/temperature', 'not a Flotilla topic');
  });

  it("refuses a subscription to another node's desired state or requests", async () => {
    const g = track(await connectGateway(hub, 'gw-sub'));
    const granted = await grantedQos(g.client, [
      buildTopic(routes.desired, { node: 'gw-sub' }),
      buildTopic(routes.desired, { node: 'gw-other' }),
      'flotilla/v1/nodes/+/desired',
      'flotilla/v1/nodes/gw-sub/requests/+',
      'flotilla/v1/nodes/gw-sub/#',
      '#',
    ]);
    assert.deepEqual(granted, [0, 128, 128, 0, 128, 128]);
    await hub.logged('refused subscription by node:gw-sub to flotilla/v1/nodes/gw-other/desired');
  });

  it('lets a dashboard read summaries and presence, but not desired state, and not publish', async () => {
    const g = track(await connectGateway(hub, 'gw-dash'));
    await g.send(routes.register, aRegistration('gw-dash'));
    const dash = track(await connectDashboard(hub));
    const granted = await grantedQos(dash.client, [
      'flotilla/v1/summary/#',
      'flotilla/v1/nodes/+/presence',
      'flotilla/v1/nodes/+/desired',
    ]);
    assert.deepEqual(granted, [0, 0, 128]);
    // Summaries are level-based: wait for the one that reflects the registration.
    const summary = await eventually(() => {
      const got = dash.received.get(buildTopic(routes.nodeSummary, { node: 'gw-dash' })) ?? [];
      const last = got.length ? JSON.parse(got[got.length - 1]!.toString()) : undefined;
      return last?.online && last.ready === 'True' && last;
    });
    assert.equal(summary.arch, 'arm64');
    assert.equal(summary.pods, 0);
    dash.client.publish(buildTopic(routes.nodeSummary, { node: 'gw-dash' }), '{}');
    await closedByBroker(dash.client);
  });

  it('serves dashboards over WebSocket with TLS (wss)', async () => {
    const ws = await connectAsync(`wss://127.0.0.1:${hub.mqtt.mqttWsPort}`, {
      protocolVersion: 4,
      username: 'dashboard',
      password: hub.tokens.dashboard,
      reconnectPeriod: 0,
      ca: hub.mqtt.caPem,
    });
    const granted = await ws.subscribeAsync('flotilla/v1/summary/nodes/+');
    assert.equal(granted[0]!.qos, 0);
    await ws.endAsync(true);
  });

  it('refuses a dashboard with a wrong token or a node: client id', async () => {
    await assert.rejects(
      connectAsync(hub.mqtt.mqttUrl, {
        username: 'dashboard',
        password: 'nope',
        reconnectPeriod: 0,
        ca: hub.mqtt.caPem,
      }),
      /Bad username or password/,
    );
    await assert.rejects(
      connectAsync(hub.mqtt.mqttUrl, {
        clientId: 'node:gw-dash',
        username: 'dashboard',
        password: hub.tokens.dashboard,
        reconnectPeriod: 0,
        ca: hub.mqtt.caPem,
      }),
      /Identifier rejected/,
    );
  });

  it('cuts off a connection that announces a huge packet, before buffering it', async () => {
    const socket = connect({ port: hub.mqtt.mqttPort, host: '127.0.0.1', ca: hub.mqtt.caPem });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    socket.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f])); // CONNECT of 256 MB
    await new Promise((resolve) => socket.once('close', resolve));
    await hub.logged('broker: connection closed: MQTT packet of 268435455 bytes');
    const g = track(await connectGateway(hub, 'gw-after'));
    assert.equal(g.client.connected, true);
  });
});
