// The embedded broker delivers every message published to a client, whatever order the
// publishes finish their asynchronous steps in (aedes' own counter check dropped half of them
// when retained and plain publishes alternated), and one message matching two subscriptions once.
import assert from 'node:assert/strict';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import {
  connectDashboard,
  connectGateway,
  type MqttTestHub,
  publishFromBroker,
  startMqttTestHub,
} from './mqtt-hub.js';

describe('embedded broker: delivery to a client', function () {
  this.timeout(30_000);
  let hub: MqttTestHub;

  before(async () => {
    hub = await startMqttTestHub();
  });
  after(async () => {
    await hub.close();
  });

  it('delivers every message, retained ones overtaken by plain ones included', async () => {
    const node = 'gw-order';
    const gw = await connectGateway(hub, node);
    const topic = buildTopic(routes.refused, { node });
    await gw.client.subscribeAsync(topic, { qos: 1 });
    const count = 2_000;
    for (let i = 0; i < count; i++) {
      publishFromBroker(
        hub,
        topic,
        JSON.stringify({ route: 'podStatus', refused: [{ reason: `${i}` }] }),
        i % 2 === 0,
      );
    }
    const received = () => gw.received.get(topic)?.length ?? 0;
    await eventually(() => received() === count).catch(() => {});
    assert.equal(received(), count);
    await gw.client.endAsync(true);
  });

  it('delivers a message matching two of a client’s subscriptions once', async () => {
    const dashboard = await connectDashboard(hub);
    await dashboard.client.subscribeAsync(['flotilla/v1/summary/#', 'flotilla/v1/summary/nodes/+'], {
      qos: 1,
    });
    const topic = buildTopic(routes.nodeSummary, { node: 'gw-twice' });
    publishFromBroker(hub, topic, '{"first":true}');
    publishFromBroker(hub, topic, '{"second":true}');
    await eventually(() => (dashboard.received.get(topic)?.length ?? 0) >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(
      dashboard.received.get(topic)?.map((b) => b.toString()),
      ['{"first":true}', '{"second":true}'],
    );
    await dashboard.client.endAsync(true);
  });

  it('survives a backlog of deliveries behind a gateway that reads slowly', async () => {
    // 100 deliveries waiting for a socket that does not drain used to fill aedes' emitter; the
    // 20,000 messages queued behind them, which nobody subscribes to, then drained by recursion
    // and overflowed the stack (the process died with a RangeError).
    const node = 'gw-slow';
    const gw = await connectGateway(hub, node);
    const topic = buildTopic(routes.refused, { node });
    await gw.client.subscribeAsync(topic, { qos: 1 });
    gw.client.stream.pause();
    const big = JSON.stringify({ route: 'podStatus', refused: [{ reason: 'x'.repeat(60_000) }] });
    for (let i = 0; i < 150; i++) publishFromBroker(hub, topic, big);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 20_000; i++) publishFromBroker(hub, `$flotilla/nobody/${i % 10}`, '{}');
    await new Promise((resolve) => setTimeout(resolve, 300));
    gw.client.stream.resume();
    await eventually(() => (gw.received.get(topic)?.length ?? 0) === 150, { timeoutMs: 20_000 });
    await gw.client.endAsync(true);
  });
});
