import assert from 'node:assert/strict';
import type { PodStatusItem } from '../../../api/mqtt/payloads/pod-status.js';
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

describe('edge sync: a bad item is refused alone and the gateway is told', () => {
  const node = 'gw-refused';
  let hub: MqttTestHub;
  let gw: Gateway;
  const uids: Record<string, string> = {};

  const refusals = (): Refusal[] =>
    (gw.received.get(buildTopic(routes.refused, { node })) ?? []).map((b) => JSON.parse(b.toString()));
  const refusalOf = (route: string, count: number) =>
    eventually(() => refusals().filter((r) => r.route === route)[count - 1]);
  const statusItem = (name: string, status: Record<string, unknown>): PodStatusItem => ({
    namespace: 'default',
    name,
    uid: uids[name] ?? '',
    observedAt: Date.now(),
    status,
  });
  const phaseOf = async (name: string) =>
    (await hub.t.api.get(`/api/v1/namespaces/default/pods/${name}`)).json().status?.phase;

  before(async () => {
    hub = await startMqttTestHub();
    gw = await connectGateway(hub, node);
    await gw.client.subscribeAsync(buildTopic(routes.refused, { node }), { qos: 1 });
    await gw.send(routes.register, aRegistration(node));
    for (const name of ['first', 'second', 'third']) {
      const res = await hub.t.api.post('/api/v1/namespaces/default/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { nodeName: node, containers: [{ name: 'app', image: 'busybox:1.36' }] },
      });
      assert.equal(res.status, 201, res.text);
      uids[name] = res.json().metadata.uid;
    }
  });
  after(async () => {
    await gw.client.endAsync(true);
    await hub.close();
  });

  it('applies the good pod statuses of a batch and refuses the malformed one, by its index', async () => {
    await gw.send(routes.podStatus, {
      items: [
        statusItem('first', { phase: 'Running' }),
        statusItem('second', { phase: 'Runnin', conditions: [null] }),
        statusItem('third', { phase: 'Running' }),
      ],
    } as never);
    const refusal = await refusalOf('podStatus', 1);
    assert.deepEqual(refusal?.refused, [
      {
        index: 1,
        reason:
          'items[1].status.phase: Unsupported value: "Runnin": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"; items[1].status.conditions[0]: Invalid value: null: must not be null',
      },
    ]);
    assert.equal(await phaseOf('first'), 'Running');
    assert.equal(await phaseOf('third'), 'Running');
    assert.notEqual(await phaseOf('second'), 'Runnin');
    assert.ok(gw.client.connected, 'the gateway stays connected');
  });

  it('refuses an item the API server finds mistyped, naming the field, and applies the rest', async () => {
    await gw.send(routes.podStatus, {
      items: [
        statusItem('first', { phase: 'Succeeded' }),
        statusItem('second', { phase: 'Running', hostIP: 5 }),
      ],
    });
    const refusal = await refusalOf('podStatus', 2);
    assert.equal(refusal?.refused.length, 1);
    assert.equal(refusal?.refused[0]?.index, 1);
    assert.match(
      refusal?.refused[0]?.reason ?? '',
      /status\.hostIP: Invalid value: "integer": status\.hostIP in body must be of type string: "integer"/,
    );
    assert.equal(await phaseOf('first'), 'Succeeded');
    assert.ok(gw.client.connected);
  });

  it('records the good events of a batch and refuses a malformed one and one about a foreign pod', async () => {
    const event = (name: string, reason: string) => ({
      involvedObject: { kind: 'Pod' as const, namespace: 'default', name },
      type: 'Normal' as const,
      reason,
      message: `${reason} ${name}`,
      observedAt: Date.now(),
    });
    await gw.send(routes.events, {
      items: [
        event('nobody', 'Pulled'),
        { ...event('first', 'Started'), observedAt: 'now' },
        event('third', 'Started'),
      ],
    } as never);
    const refusal = await refusalOf('events', 1);
    assert.deepEqual(
      refusal?.refused.map((r) => r.index),
      [0, 1],
    );
    assert.equal(refusal?.refused[0]?.reason, 'Pod nobody is neither this node nor one of its pods');
    assert.equal(
      refusal?.refused[1]?.reason,
      'items[1].observedAt: Invalid value: "now": must be an integer',
    );
    const events = await eventually(async () => {
      const list = (await hub.t.api.get('/api/v1/namespaces/default/events')).json().items as any[];
      if (!list.some((e) => e.involvedObject.name === 'third')) throw new Error('event third not stored yet');
      return list;
    });
    assert.ok(!events.some((e: any) => e.involvedObject.name === 'nobody'));
    assert.ok(gw.client.connected);
  });

  it('tells the gateway of a whole message it dropped, and keeps the connection', async () => {
    await gw.client.publishAsync(buildTopic(routes.nodeStatus, { node }), 'not json', { qos: 1 });
    const refusal = await refusalOf('nodeStatus', 1);
    assert.equal(refusal?.refused.length, 1);
    assert.equal(refusal?.refused[0]?.index, undefined);
    assert.match(refusal?.refused[0]?.reason ?? '', /^payload: not JSON/);
    assert.ok(gw.client.connected);
    // The session still carries messages both ways.
    await gw.send(routes.podStatus, { items: [statusItem('third', { phase: 'Failed' })] });
    await eventually(async () => (await phaseOf('third')) === 'Failed');
  });
  it('refuses a registration that arrives after its node key was revoked: the deleted Node stays deleted', async () => {
    // The window between `kubectl delete node` revoking the key and the broker closing the
    // session: a registration already in flight must not bring the Node back.
    const late = 'gw-revoked';
    const other = await connectGateway(hub, late);
    await other.client.subscribeAsync(buildTopic(routes.refused, { node: late }), { qos: 1 });
    assert.equal(await hub.mqtt.credentials.revoke(late), true);
    await other.send(routes.register, aRegistration(late));
    const refusal = await eventually(() =>
      (other.received.get(buildTopic(routes.refused, { node: late })) ?? [])
        .map((b) => JSON.parse(b.toString()) as Refusal)
        .find((r) => r.route === 'register'),
    );
    assert.match(refusal?.refused[0]?.reason ?? '', /node key was revoked/);
    assert.equal((await hub.t.api.get(`/api/v1/nodes/${late}`)).status, 404);
    await other.client.endAsync(true);
  });
});
