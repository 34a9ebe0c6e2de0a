import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import { connectGateway, type MqttTestHub, startMqttTestHub } from './mqtt-hub.js';

describe('embedded broker: a gateway that stops reading', () => {
  let hub: MqttTestHub;
  after(async () => {
    await hub.close();
  });

  it('is cut off with a log line once too much waits for it, and the other sessions stay', async () => {
    hub = await startMqttTestHub();
    const stuck = await connectGateway(hub, 'gw-stuck');
    const fine = await connectGateway(hub, 'gw-fine');
    for (const gw of [stuck, fine])
      await gw.client.subscribeAsync(buildTopic(routes.desired, { node: gw.node }), { qos: 1 });
    // The stuck gateway's TCP stream is no longer read: what the broker writes piles up.
    (stuck.client.stream as Duplex).pause();
    const payload = Buffer.alloc(1024 * 1024, 'x');
    const publish = (node: string) =>
      hub.mqtt.broker.aedes.publish(
        {
          cmd: 'publish',
          topic: buildTopic(routes.desired, { node }),
          payload,
          qos: 1,
          retain: false,
          dup: false,
        },
        () => {},
      );
    for (let i = 0; i < 48; i++) publish('gw-stuck');
    const line = await hub.logged('client node:gw-stuck dropped', 'bytes waiting to be written');
    assert.match(line, /limit \d+/);
    publish('gw-fine');
    await eventually(
      () => (fine.received.get(buildTopic(routes.desired, { node: 'gw-fine' })) ?? []).length > 0,
    );
    assert.equal(fine.client.connected, true);
    await fine.client.endAsync(true);
    await stuck.client.endAsync(true);
  });
});
