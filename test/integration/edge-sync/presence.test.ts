import assert from 'node:assert/strict';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aNodeKey,
  aRegistration,
  connectDashboard,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

describe('edge sync: a dropped MQTT session shows on the Node at once', () => {
  let hub: MqttTestHub;
  before(async () => {
    hub = await startMqttTestHub();
  });
  after(async () => {
    await hub.close();
  });

  const readyOf = async (node: string) => {
    const res = await hub.t.api.get(`/api/v1/nodes/${node}`);
    return res.json().status?.conditions?.find((c: any) => c.type === 'Ready');
  };

  async function joined(node: string, nodeKey = hub.keyOf(node)): Promise<Gateway> {
    const gw = await connectGateway(hub, node, { nodeKey });
    await gw.send(routes.presence, { state: 'online', since: Date.now() });
    await gw.send(routes.register, aRegistration(node));
    await eventually(async () => (await readyOf(node))?.status === 'True');
    return gw;
  }

  it('marks the node Ready=Unknown when its socket dies without DISCONNECT', async () => {
    const gw = await joined('gw-kill');
    const started = Date.now();
    gw.client.stream.destroy();
    const ready = await eventually(async () => {
      const r = await readyOf('gw-kill');
      return r?.status === 'Unknown' && r;
    });
    assert.ok(Date.now() - started < 2000, 'promptly');
    assert.equal(ready.reason, 'NodeStatusUnknown');
    assert.match(ready.message, /^Gateway unreachable since \d{4}-\d\d-\d\dT.*: MQTT session dropped$/);
    await gw.client.endAsync(true);
  });

  it('is Ready again once the gateway reconnects and registers', async () => {
    const gw = await joined('gw-kill');
    assert.equal((await readyOf('gw-kill')).status, 'True');
    await gw.client.endAsync();
    await eventually(async () => (await readyOf('gw-kill'))?.status === 'Unknown');
  });

  it('leaves a session that ended before its gateway said it was online to the grace period', async () => {
    const dash = await connectDashboard(hub);
    const presenceTopic = buildTopic(routes.presence, { node: 'gw-quiet' });
    await dash.client.subscribeAsync(presenceTopic);
    const presence = () => {
      const got = dash.received.get(presenceTopic);
      return got?.length ? JSON.parse(got[got.length - 1]!.toString()) : undefined;
    };
    // A connection that gave up while a restarted hub was busy: no presence online was sent.
    const quiet = await connectGateway(hub, 'gw-quiet');
    await quiet.send(routes.register, aRegistration('gw-quiet'));
    await eventually(async () => (await readyOf('gw-quiet'))?.status === 'True');
    quiet.client.stream.destroy();
    // The broker published the session's end (the hub hears it first), and Ready stays.
    await eventually(() => presence()?.state === 'offline');
    await hub.edgeSync.idle();
    assert.equal((await readyOf('gw-quiet')).status, 'True');
    await quiet.client.endAsync(true);
    // The same gateway, once it announced itself, is marked at once when its session drops.
    const announced = await joined('gw-quiet');
    announced.client.stream.destroy();
    await eventually(async () => (await readyOf('gw-quiet'))?.status === 'Unknown');
    await announced.client.endAsync(true);
    await dash.client.endAsync(true);
  });

  it('keeps the node Ready when the same gateway takes its own session over', async () => {
    const key = aNodeKey();
    const first = await joined('gw-take', key);
    const second = await connectGateway(hub, 'gw-take', { nodeKey: key });
    await second.send(routes.heartbeat, { t: Date.now(), s: 1 });
    await eventually(() => !first.client.connected);
    // The old session's Last Will no longer speaks for the node.
    await hub.logged('refused publish by node:gw-take to flotilla/v1/nodes/gw-take/presence', 'taken over');
    await hub.edgeSync.idle();
    assert.equal((await readyOf('gw-take')).status, 'True');
    await first.client.endAsync(true);
    await second.client.endAsync(true);
  });

  it('shows presence and the node summary as offline to dashboards', async () => {
    const gw = await joined('gw-seen');
    const dash = await connectDashboard(hub);
    await dash.client.subscribeAsync([
      buildTopic(routes.presence, { node: 'gw-seen' }),
      'flotilla/v1/summary/nodes/+',
    ]);
    const last = (topic: string) => {
      const got = dash.received.get(topic);
      return got?.length ? JSON.parse(got[got.length - 1]!.toString()) : undefined;
    };
    await eventually(() => last(buildTopic(routes.presence, { node: 'gw-seen' }))?.state === 'online');
    gw.client.stream.destroy();
    await eventually(() => last(buildTopic(routes.presence, { node: 'gw-seen' }))?.state === 'offline');
    const summary = await eventually(() => {
      const s = last(buildTopic(routes.nodeSummary, { node: 'gw-seen' }));
      return s?.online === false && s.ready === 'Unknown' && s;
    });
    assert.equal(summary.pods, 0);
    await gw.client.endAsync(true);
    await dash.client.endAsync(true);
  });
});
