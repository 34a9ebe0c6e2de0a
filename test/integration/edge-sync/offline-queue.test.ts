// What the broker keeps for a gateway that is away is bounded; a short absence loses nothing.
import assert from 'node:assert/strict';
import { maxOfflineMessages } from '../../../api/mqtt/agent-session.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import { connectGateway, type MqttTestHub, publishFromBroker, startMqttTestHub } from './mqtt-hub.js';

describe('embedded broker: messages queued for an offline gateway', function () {
  this.timeout(30_000);
  let hub: MqttTestHub;

  before(async () => {
    hub = await startMqttTestHub();
  });
  after(async () => {
    await hub.close();
  });

  /** Publishes `count` QoS 1 messages to the gateway's refused topic while it is away; what it gets back. */
  const queuedWhileAway = async (node: string, count: number) => {
    const topic = buildTopic(routes.refused, { node });
    const first = await connectGateway(hub, node);
    await first.client.subscribeAsync(topic, { qos: 1 });
    await first.client.endAsync(true);
    await eventually(() => !hub.mqtt.broker.sessions.connectedNodes().includes(node));
    for (let i = 0; i < count; i++) {
      publishFromBroker(hub, topic, JSON.stringify({ route: 'podStatus', refused: [{ reason: `${i}` }] }));
    }
    // Back with its persistent session: what was queued arrives right after CONNACK.
    const back = await connectGateway(hub, node);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const reasons = (back.received.get(topic) ?? []).map((b) => JSON.parse(b.toString()).refused[0].reason);
    await back.client.endAsync(true);
    return reasons;
  };

  it('delivers everything queued during a short absence', async () => {
    const reasons = await queuedWhileAway('gw-blip', 50);
    assert.deepEqual(
      reasons,
      Array.from({ length: 50 }, (_, i) => `${i}`),
    );
  });

  it(`keeps at most ${maxOfflineMessages} messages for a long absence, and says so once`, async () => {
    const reasons = await queuedWhileAway('gw-away', maxOfflineMessages + 500);
    assert.equal(reasons.length, maxOfflineMessages);
    assert.equal(reasons[0], '0');
    assert.equal(
      hub.logs.filter((line) => line.includes('node:gw-away is offline with') && line.includes('not kept'))
        .length,
      1,
    );
  });
});
