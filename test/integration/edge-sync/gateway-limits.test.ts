// A gateway that floods the hub with Events is held to its own rate limit; the others are not.
import assert from 'node:assert/strict';
import { gatewayRouteLimits } from '../../../api/mqtt/gateway-rate-limits.js';
import type { EventReport } from '../../../api/mqtt/payloads/events.js';
import { maxEventItems } from '../../../api/mqtt/payloads/events.js';
import type { Refusal } from '../../../api/mqtt/payloads/refusal.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aRegistration,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

const nodeEvent = (node: string, i: number): EventReport => ({
  involvedObject: { kind: 'Node', name: node },
  type: 'Warning',
  reason: 'Flood',
  message: `event ${i}`,
  observedAt: Date.now(),
});

describe('edge sync: per-gateway rate limits', function () {
  this.timeout(60_000);
  let hub: MqttTestHub;
  let flood: Gateway;
  let calm: Gateway;

  before(async () => {
    hub = await startMqttTestHub();
    flood = await connectGateway(hub, 'gw-flood');
    calm = await connectGateway(hub, 'gw-calm');
    for (const gw of [flood, calm]) await gw.send(routes.register, aRegistration(gw.node));
    await flood.client.subscribeAsync(buildTopic(routes.refused, { node: 'gw-flood' }), { qos: 1 });
  });
  after(async () => {
    for (const gw of [flood, calm]) await gw.client.endAsync(true);
    await hub.close();
  });

  const eventsFrom = async (node: string) =>
    (await hub.t.api.get('/api/v1/namespaces/default/events'))
      .json()
      .items.filter((e: { source: { host: string } }) => e.source.host === node).length;

  it('stores a flooding gateway’s Events only up to its limit, and another gateway’s all', async () => {
    const limit = gatewayRouteLimits.events!;
    const started = Date.now();
    const total = 30_000;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < total; i += maxEventItems) {
      const items = Array.from({ length: maxEventItems }, (_, j) => nodeEvent('gw-flood', i + j));
      sends.push(flood.send(routes.events, { items }));
    }
    await Promise.all(sends);
    await calm.send(routes.events, { items: [nodeEvent('gw-calm', 0), nodeEvent('gw-calm', 1)] });
    await hub.logged('node gw-flood over its rate limits', 'events items dropped');
    await eventually(async () => (await eventsFrom('gw-calm')) === 2);
    await hub.edgeSync.idle();
    const elapsedSeconds = (Date.now() - started) / 1000;
    const stored = await eventsFrom('gw-flood');
    // The bound follows from the limit itself, however slow this machine was.
    assert.ok(stored >= limit.burst, `${stored} stored: at least the burst`);
    assert.ok(
      stored <= limit.burst + Math.ceil(limit.perSecond * elapsedSeconds),
      `${stored} of ${total} stored in ${elapsedSeconds} s`,
    );
    assert.equal(hub.logs.filter((line) => line.includes('node gw-flood over its rate limits')).length, 1);
    // The gateway is told of every Event dropped, by its position in the batch it sent (a
    // refusal lists 50 items and counts the rest as omitted).
    const refusals = () =>
      (flood.received.get(buildTopic(routes.refused, { node: 'gw-flood' })) ?? []).map(
        (b) => JSON.parse(b.toString()) as Refusal,
      );
    const dropped = (r: Refusal) =>
      r.refused.filter((item) => item.reason.startsWith("dropped: over the gateway's events rate limit"));
    const droppedCount = () => refusals().reduce((n, r) => n + dropped(r).length + (r.omitted ?? 0), 0);
    await eventually(() => droppedCount() === total - stored);
    for (const item of refusals().flatMap(dropped))
      assert.ok(
        item.index !== undefined && item.index >= 0 && item.index < maxEventItems,
        `index ${item.index}`,
      );
  });

  it('holds a gateway asking for its whole state again and again to its limit, still answering it', async () => {
    const spammer = await connectGateway(hub, 'gw-resync');
    try {
      await spammer.send(routes.register, aRegistration('gw-resync'));
      const snapshots = buildTopic(routes.desired, { node: 'gw-resync' });
      await spammer.client.subscribeAsync(snapshots, { qos: 1 });
      await eventually(() => (spammer.received.get(snapshots)?.length ?? 0) > 0);
      const before = spammer.received.get(snapshots)!.length;
      const ask = { observedAt: Date.now(), appliedRevision: 1, appliedDigest: 'wrong' };
      await Promise.all(Array.from({ length: 200 }, () => spammer.send(routes.resync, ask)));
      const limit = gatewayRouteLimits.resync!;
      await hub.logged('node gw-resync over its rate limits', `resync items delayed`);
      assert.equal(limit.overflow, 'coalesce');
      // The newest request is answered when a token comes back: the gateway gets its state.
      await eventually(() => spammer.received.get(snapshots)!.length > before);
      // Another gateway's request is answered at once.
      const calmTopic = buildTopic(routes.desired, { node: 'gw-calm' });
      await calm.client.subscribeAsync(calmTopic, { qos: 1 });
      const calmBefore = calm.received.get(calmTopic)?.length ?? 0;
      await calm.send(routes.resync, ask);
      await eventually(() => (calm.received.get(calmTopic)?.length ?? 0) > calmBefore);
    } finally {
      await spammer.client.endAsync(true);
    }
  });
});
