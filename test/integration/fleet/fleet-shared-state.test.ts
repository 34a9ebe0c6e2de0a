// Desired-state protocol 3 across a fleet of in-process agents (fake runtimes) on the embedded
// aedes: shared state travels once per change on its own topic, a gateway's own state only to
// it, and a gateway that missed deltas is brought back by a resync. Deliveries are counted at
// the broker: every desired-state topic is QoS 1, so each delivery to a gateway is one PUBACK.
import assert from 'node:assert/strict';
import type { Client } from 'aedes';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import { condition, containersByPod, Fleet } from './fleet-harness.js';

const site = 'hall-1';
const segment = `site-${site}`;
const gateways = ['gw-a', 'gw-b', 'gw-c', 'gw-d'];

function aService(port: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'historian', namespace: 'default' },
    spec: { selector: { app: 'historian' }, ports: [{ name: 'http', port, targetPort: 8080 }] },
  };
}

describe('a fleet on desired-state protocol 3', function () {
  this.timeout(60_000);
  let fleet: Fleet;
  /** Node → topic → messages delivered to that gateway (acknowledged). */
  const delivered = new Map<string, Map<string, number>>();
  const count = (node: string, topic: string) => delivered.get(node)?.get(topic) ?? 0;
  const ownTopics = (node: string) => [
    buildTopic(routes.desired, { node }),
    buildTopic(routes.desiredDelta, { node }),
  ];
  const ownCount = (node: string) => ownTopics(node).reduce((sum, t) => sum + count(node, t), 0);

  const tap = () => {
    // aedes emits 'ack' (a QoS 1 delivery acknowledged by a client); its typings lack the event.
    const broker = fleet.hub.hub.mqtt.broker.aedes as unknown as {
      on(event: 'ack', listener: (packet: { topic?: string } | undefined, client: Client) => void): void;
    };
    broker.on('ack', (packet, client) => {
      const node = client?.id?.replace(/^node:/, '');
      if (!node || !packet?.topic) return;
      const topics = delivered.get(node) ?? new Map<string, number>();
      topics.set(packet.topic, (topics.get(packet.topic) ?? 0) + 1);
      delivered.set(node, topics);
    });
  };
  const ready = (names: string[]) =>
    eventually(async () => {
      const nodes = await Promise.all(names.map((name) => fleet.node(name)));
      return nodes.every((n) => n && condition(n, 'Ready')?.status === 'True' && n.spec.podCIDR);
    });
  const held = (name: string) => fleet.agent(name).agent.localState.desired();
  /**
   * Every gateway holds and acknowledged the revision the hub last published for it, and no
   * change of its own state waits for the end of the coalescing window.
   */
  const settled = (names: string[]) =>
    eventually(() =>
      names.every((name) => {
        const sync = fleet.hub.hub.edgeSync;
        const published = sync.publishedRevision(name);
        return (
          published !== undefined && sync.appliedRevision(name) === published && !sync.desiredPending(name)
        );
      }),
    );

  before(async () => {
    fleet = await Fleet.start();
    tap();
    for (const name of gateways) await fleet.startAgent(name, undefined, site);
    await ready(gateways);
    await settled(gateways);
  });
  after(async () => {
    await fleet?.close();
  });

  it('sends a Service change to every gateway once, on its shared topic, and no own state', async () => {
    const topic = buildTopic(routes.service, { namespace: 'default', name: 'historian' });
    const ownBefore = gateways.map(ownCount);
    assert.equal((await fleet.api.post('/api/v1/namespaces/default/services', aService(80))).status, 201);
    await eventually(() =>
      gateways.every((gw) => held(gw)?.services.some((s) => s.metadata.name === 'historian')),
    );
    assert.deepEqual(
      gateways.map((gw) => count(gw, topic)),
      [1, 1, 1, 1],
    );
    const res = await fleet.api.patch(
      '/api/v1/namespaces/default/services/historian',
      { spec: { ports: [{ name: 'http', port: 8081, targetPort: 8080 }] } },
      'application/merge-patch+json',
    );
    assert.equal(res.status, 200);
    await eventually(() =>
      gateways.every(
        (gw) => (held(gw)?.services[0]?.spec as { ports: Array<{ port: number }> }).ports[0]?.port === 8081,
      ),
    );
    assert.deepEqual(
      gateways.map((gw) => count(gw, topic)),
      [2, 2, 2, 2],
    );
    assert.deepEqual(gateways.map(ownCount), ownBefore, "no gateway's own state was republished");
  });

  it("lets a gateway join without republishing the others' state: they get its one route", async () => {
    const ownBefore = gateways.map(ownCount);
    await fleet.startAgent('gw-e', undefined, site);
    await ready(['gw-e']);
    await settled(['gw-e']);
    const route = buildTopic(routes.podRoute, { segment, node: 'gw-e' });
    const node = await fleet.node('gw-e');
    const internal = node?.status.addresses.find((a: { type: string }) => a.type === 'InternalIP');
    if (internal && /^\d+\.\d+\.\d+\.\d+$/.test(internal.address)) {
      await eventually(() => gateways.every((gw) => held(gw)?.podRoutes?.some((r) => r.node === 'gw-e')));
      assert.deepEqual(
        gateways.map((gw) => count(gw, route)),
        [1, 1, 1, 1],
      );
      // The newcomer asks for its segment's routes and gets them in one message.
      await eventually(() => held('gw-e')?.podRoutes?.length === gateways.length);
      assert.equal(count('gw-e', buildTopic(routes.routeSet, { node: 'gw-e' })), 1);
    }
    assert.deepEqual(gateways.map(ownCount), ownBefore, "no other gateway's own state was republished");
    await eventually(() => held('gw-e')?.services.some((s) => s.metadata.name === 'historian'));
  });

  it('resyncs a gateway that missed deltas while its session was lost, and runs what it missed', async () => {
    const gw = fleet.agent('gw-b');
    await gw.agent.stop();
    await fleet.createPod('missed-1', 'gw-b');
    // The broker's sessions and queues go with the hub: what was queued for gw-b is lost.
    await fleet.restartHub();
    tap();
    await fleet.createPod('missed-2', 'gw-b');
    await eventually(() => (fleet.hub.hub.edgeSync.publishedRevision('gw-b') ?? 0) > 0);
    await fleet.startAgent('gw-b', undefined, site);
    await fleet.runningPod('missed-1');
    await fleet.runningPod('missed-2');
    await eventually(() => held('gw-b')?.revision === fleet.hub.hub.edgeSync.publishedRevision('gw-b'));
    assert.deepEqual(Object.keys(await containersByPod(gw.runtime)).sort(), ['missed-1', 'missed-2']);
    assert.ok(
      held('gw-b')?.services.some((s) => s.metadata.name === 'historian'),
      'shared state kept',
    );
  });
});
