import assert from 'node:assert/strict';
import { cpus, totalmem } from 'node:os';
import type { MqttClient } from 'mqtt';
import { encodePayload } from '../../../api/mqtt/codec.js';
import { caCertHash, formatJoinString } from '../../../api/mqtt/join-string.js';
import { payloadExamples } from '../../../api/mqtt/payload-examples.js';
import { buildTopic, type Route, routes } from '../../../api/mqtt/route-table.js';
import { kubeArch } from '../../../edge-agent/node-status/node-labels.js';
import { eventually } from '../../helpers/eventually.js';
import { aNodeKey, grantedQos } from '../edge-sync/mqtt-hub.js';
import { condition, connectAsGateway, containersByPod, Fleet, observedAt } from './fleet-harness.js';

const gateways = ['gw-1', 'gw-2', 'gw-3', 'gw-4'];
/** The victim of the isolation tests, and the raw client that tries to speak for it. */
const victim = 'gw-2';
const intruder = 'gw-raw';

describe('a fleet of gateways joining one hub', function () {
  this.timeout(30_000);
  let fleet: Fleet;
  const hubLogged = (...fragments: string[]) =>
    eventually(() => fleet.hubLogs.find((line) => fragments.every((f) => line.includes(f))));
  const open: MqttClient[] = [];
  const intruderKey = aNodeKey();
  const connectIntruder = async (key = intruderKey) => {
    const client = await connectAsGateway(fleet, intruder, fleet.token, key);
    client.on('error', () => {});
    open.push(client);
    return client;
  };

  before(async () => {
    fleet = await Fleet.start();
    for (const name of gateways) await fleet.startAgent(name);
  });
  afterEach(async () => {
    for (const client of open.splice(0)) await client.endAsync(true).catch(() => {});
  });
  after(async () => {
    await fleet?.close();
  });

  it('registers every gateway as a Ready Node with its labels, capacity and runtime', async () => {
    const nodes = await eventually(async () => {
      const found = await Promise.all(gateways.map((name) => fleet.node(name)));
      return found.every((n) => n && condition(n, 'Ready')?.status === 'True' && n.spec?.podCIDR) && found;
    });
    assert.ok(nodes);
    for (const [i, node] of nodes.entries()) {
      const name = gateways[i]!;
      assert.deepEqual(node!.metadata.labels, {
        'flotilla.io/site': `site-${i + 1}`,
        'kubernetes.io/arch': kubeArch(process.arch),
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
      });
      const { capacity, nodeInfo, addresses } = node!.status;
      assert.equal(capacity.pods, '110');
      assert.equal(capacity.cpu, String(cpus().length));
      assert.equal(capacity.memory, `${Math.floor(totalmem() / 1024)}Ki`);
      assert.equal(nodeInfo.containerRuntimeVersion, 'fake://0.1.0');
      assert.ok(addresses.some((a: { type: string }) => a.type === 'InternalIP'));
    }
    const cidrs = new Set(nodes.map((n) => n!.spec.podCIDR));
    assert.equal(cidrs.size, gateways.length, 'node IPAM gave each gateway its own pod CIDR');
  });

  it('refuses a gateway with a wrong join token, and keeps serving the others', async () => {
    const refusedAt = Date.now();
    const wrong = await fleet.startAgent(
      'gw-wrong',
      formatJoinString('not-the-token', caCertHash(fleet.caPem)),
    );
    await eventually(() =>
      wrong.logs.find((line) =>
        line.includes(
          'hub refused the connection: bad username or password: this node name has no node key bound',
        ),
      ),
    );
    await hubLogged('refused connection of node:gw-wrong', 'bootstrap token is not of the form');
    await assert.rejects(
      connectAsGateway(fleet, 'gw-wrong-raw', 'not-the-token', aNodeKey()),
      /Bad username or password/,
    );
    await wrong.agent.stop();
    assert.equal(await fleet.node('gw-wrong'), undefined);
    assert.equal(await fleet.node('gw-wrong-raw'), undefined);
    // Every other gateway's heartbeats still reach the hub: their Leases renew after the refusal
    // (in the hub's memory; the stored Lease is written when 30 s behind).
    await eventually(
      async () => {
        const leases = await Promise.all(gateways.map((name) => fleet.lease(name)));
        return leases.every(
          (l, i) =>
            l !== undefined &&
            l.spec.holderIdentity === gateways[i] &&
            Date.parse(fleet.hub.hub.heartbeats.renewTime(gateways[i]!) ?? '') > refusedAt,
        );
      },
      { timeoutMs: 12_000 },
    );
    for (const name of gateways) assert.equal(fleet.agent(name).agent.link.connected, true, name);
    // Each refusal is logged once, with its reason, not again as an aborted connection.
    assert.deepEqual(
      fleet.hubLogs.filter((line) => line.includes('connection closed')),
      [],
    );
  });

  it("refuses a gateway's publishes of another gateway's registration, node status and pod status", async () => {
    await fleet.createPod('victim-pod', victim);
    const before = await fleet.runningPod('victim-pod');
    const future = Date.now() + 3_600_000;
    const forged: Array<[Route<any, 'node'>, unknown]> = [
      [routes.register, { ...payloadExamples.register, labels: { intruder: 'yes' }, observedAt: future }],
      [
        routes.nodeStatus,
        { observedAt: future, conditions: [{ type: 'Ready', status: 'False', reason: 'Forged' }] },
      ],
      [
        routes.podStatus,
        {
          items: [
            {
              namespace: 'default',
              name: 'victim-pod',
              uid: before.metadata.uid,
              observedAt: future,
              status: { phase: 'Failed' },
            },
          ],
        },
      ],
    ];
    for (const [route, payload] of forged) {
      // The broker closes a client that publishes outside its own node's topics.
      const client = await connectIntruder();
      const topic = buildTopic(route, { node: victim });
      client.publish(topic, encodePayload(payload), { qos: 1 });
      await eventually(() => !client.connected);
      await hubLogged(`refused publish by node:${intruder} to ${topic}`);
    }
    // On its own topic the broker lets the batch through; the hub drops the pod that is not its own.
    const own = await connectIntruder();
    await own.publishAsync(buildTopic(routes.podStatus, { node: intruder }), encodePayload(forged[2]![1]), {
      qos: 1,
    });
    await hubLogged(`status of pod default/victim-pod from node ${intruder} dropped: wrong-node`);

    const node = await fleet.node(victim);
    assert.equal(node!.metadata.labels?.intruder, undefined);
    assert.equal(condition(node!, 'Ready')?.status, 'True');
    const after = await fleet.pod('victim-pod');
    assert.equal(after!.status.phase, 'Running');
    assert.ok(observedAt(after!) < future);
  });

  it("does not let a gateway read another gateway's desired state", async () => {
    const client = await connectIntruder();
    const received: string[] = [];
    client.on('message', (topic) => received.push(topic));
    // Registered, the intruder is a gateway like any other and gets its own desired state.
    const registration = { ...payloadExamples.register, observedAt: Date.now() };
    registration.labels = { ...registration.labels, 'kubernetes.io/hostname': intruder };
    await client.publishAsync(buildTopic(routes.register, { node: intruder }), encodePayload(registration), {
      qos: 1,
    });
    const granted = await grantedQos(client, [
      buildTopic(routes.desired, { node: intruder }),
      buildTopic(routes.desired, { node: victim }),
      'flotilla/v1/nodes/+/desired',
    ]);
    assert.deepEqual(granted, [0, 128, 128]);
    await hubLogged(`refused subscription by node:${intruder} to flotilla/v1/nodes/${victim}/desired`);

    // A new desired state for the victim goes out (and is applied) while the intruder listens.
    await fleet.createPod('victim-late', victim);
    await fleet.runningPod('victim-late');
    const runtime = fleet.agent(victim).runtime;
    assert.ok((await containersByPod(runtime))['victim-late']);
    await eventually(
      () =>
        fleet.hub.hub.edgeSync.appliedRevision(victim) ===
        fleet.agent(victim).agent.localState.desired()?.revision,
    );
    const own = buildTopic(routes.desired, { node: intruder });
    await eventually(() => received.includes(own));
    assert.deepEqual([...new Set(received)], [own]);
  });

  it('refuses a second client claiming a connected gateway name with another node key', async () => {
    const owner = fleet.agent('gw-1');
    await assert.rejects(connectAsGateway(fleet, 'gw-1', fleet.token, aNodeKey()), /Not authorized/);
    await hubLogged('refused connection of node:gw-1', 'node gw-1 is bound to another node key');
    assert.equal(owner.agent.link.connected, true);
    assert.ok(fleet.hub.hub.mqtt.broker.sessions.connectedNodes().includes('gw-1'));
    assert.deepEqual(
      owner.logs.filter((line) => line.includes('connection to') && line.includes('lost')),
      [],
    );
    assert.equal(condition((await fleet.node('gw-1'))!, 'Ready')?.status, 'True');
  });
});
