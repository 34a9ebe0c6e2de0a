import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { bootstrapTokenSecretName } from '../../../api/bootstrap-token.js';
import { encodePayload } from '../../../api/mqtt/codec.js';
import { caCertHash, formatJoinString } from '../../../api/mqtt/join-string.js';
import { payloadExamples } from '../../../api/mqtt/payload-examples.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { nodeKeySecretName } from '../../../hub/broker/node-credentials.js';
import { eventually } from '../../helpers/eventually.js';
import { aNodeKey } from '../edge-sync/mqtt-hub.js';
import { condition, connectAsGateway, Fleet } from './fleet-harness.js';

/** The node key an agent generated and keeps in its data dir. */
function keyOf(dataDir: string): string {
  return readFileSync(join(dataDir, 'node-key'), 'utf8').trim();
}

describe('gateway identity: the join token cannot steal a gateway', function () {
  this.timeout(30_000);
  let fleet: Fleet;
  const open: MqttClient[] = [];
  const hubLogged = (...fragments: string[]) =>
    eventually(() => fleet.hubLogs.find((line) => fragments.every((f) => line.includes(f))));
  /** Connects as `node` with `key` and the hub's bootstrap token (which every gateway holds), or none. */
  const impostor = async (node: string, key = aNodeKey(), token: string | null = fleet.token) => {
    const client = await connectAsGateway(fleet, node, token ?? undefined, key);
    client.on('error', () => {});
    open.push(client);
    return client;
  };
  const deleteToken = async (token: string) => {
    const res = await fleet.api.delete(
      `/api/v1/namespaces/kube-system/secrets/${bootstrapTokenSecretName(token.slice(0, 6))}`,
    );
    assert.equal(res.status, 200, res.text);
  };

  before(async () => {
    fleet = await Fleet.start();
    for (const name of ['gw-1', 'gw-2']) await fleet.startAgent(name);
    await eventually(async () => {
      const nodes = await Promise.all(['gw-1', 'gw-2'].map((n) => fleet.node(n)));
      return nodes.every((n) => n && condition(n, 'Ready')?.status === 'True' && n.spec.podCIDR);
    });
  });
  afterEach(async () => {
    for (const client of open.splice(0)) await client.endAsync(true).catch(() => {});
  });
  after(async () => {
    await fleet?.close();
  });

  it('binds each gateway to its node key at first join, in a kube-system Secret holding only its hash', async () => {
    const res = await fleet.api.get(`/api/v1/namespaces/kube-system/secrets/${nodeKeySecretName('gw-1')}`);
    assert.equal(res.status, 200);
    const secret = res.json();
    assert.equal(secret.type, 'flotilla.io/node-key');
    const data = Object.fromEntries(
      Object.entries(secret.data as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString(),
      ]),
    );
    assert.equal(data['node-name'], 'gw-1');
    assert.match(data['key-sha256']!, /^[0-9a-f]{64}$/);
    assert.ok(
      !JSON.stringify(secret).includes(keyOf(fleet.agent('gw-1').dataDir)),
      'the key itself is not stored',
    );
  });

  it('refuses the join token with another key for a gateway that is online', async () => {
    const owner = fleet.agent('gw-1');
    await assert.rejects(impostor('gw-1'), /Not authorized/);
    await hubLogged('refused connection of node:gw-1', 'node gw-1 is bound to another node key');
    assert.equal(owner.agent.link.connected, true);
  });

  it('refuses the join token with another key for a gateway that is offline: no desired state, no Node change', async () => {
    const victim = fleet.agent('gw-2');
    await fleet.createPod('victim-pod', 'gw-2');
    await fleet.runningPod('victim-pod');
    await victim.agent.stop();
    await eventually(() => !fleet.hub.hub.mqtt.broker.sessions.connectedNodes().includes('gw-2'));
    const before = (await fleet.node('gw-2'))!;

    await assert.rejects(impostor('gw-2'), /Not authorized/);
    await hubLogged('refused connection of node:gw-2', 'node gw-2 is bound to another node key');
    // Nor without the token, nor with a persistent session that would have queued its messages.
    await assert.rejects(impostor('gw-2', aNodeKey(), null), /Not authorized/);
    assert.equal(fleet.hub.hub.mqtt.broker.sessions.connectedNodes().includes('gw-2'), false);

    const after = (await fleet.node('gw-2'))!;
    assert.deepEqual(after.metadata.labels, before.metadata.labels);
    assert.deepEqual(after.status.addresses, before.status.addresses);

    // The real gateway comes back with its own key, and runs its pod as before.
    const back = await fleet.startAgent('gw-2');
    await eventually(() => back.agent.link.connected);
    await eventually(async () => condition((await fleet.node('gw-2'))!, 'Ready')?.status === 'True');
    assert.equal((await fleet.pod('victim-pod'))!.status.phase, 'Running');
  });

  it('keeps the binding across a hub restart: the real key gets back in, another key does not', async () => {
    await fleet.restartHub();
    await eventually(
      () =>
        fleet.agent('gw-1').agent.link.connected &&
        fleet.hub.hub.mqtt.broker.sessions.connectedNodes().includes('gw-1'),
    );
    await assert.rejects(impostor('gw-1'), /Not authorized/);
  });

  it("binds the hub's own local agent without a token, and never over another gateway's key", async () => {
    const key = aNodeKey();
    assert.equal(await fleet.hub.hub.mqtt.credentials.bindOwn('hub-machine', key), true);
    const local = await impostor('hub-machine', key, null);
    assert.equal(local.connected, true);
    assert.equal(await fleet.hub.hub.mqtt.credentials.bindOwn('gw-1', aNodeKey()), false);
  });

  it('keeps a joined gateway working after its bootstrap token is deleted: its key alone is its credential', async () => {
    const token = await fleet.hub.hub.mqtt.bootstrapTokens.create({ ttlMs: 3600_000 });
    const joinString = formatJoinString(token, caCertHash(fleet.caPem));
    const gw = await fleet.startAgent('gw-3', joinString);
    await eventually(() => gw.agent.link.connected);
    await deleteToken(token);
    await gw.agent.stop();
    const again = await fleet.startAgent('gw-3', joinString);
    await eventually(() => again.agent.link.connected);
    // A raw client with the key and no token at all connects too.
    await again.agent.stop();
    const raw = await impostor('gw-3', keyOf(again.dataDir), null);
    assert.equal(raw.connected, true);
    await raw.endAsync();
    await fleet.startAgent('gw-3', joinString);
  });

  it('closes the session of a deleted Node at once and refuses its old key; re-joining needs a valid token', async () => {
    const gw = fleet.agent('gw-3');
    await eventually(async () => gw.agent.link.connected && (await fleet.node('gw-3')) !== undefined);
    const key = keyOf(gw.dataDir);
    const res = await fleet.api.delete('/api/v1/nodes/gw-3');
    assert.equal(res.status, 200, res.text);
    await hubLogged('node key of gw-3 revoked: its Node was deleted');
    await hubLogged('session of gw-3 closed: its Node was deleted');
    await eventually(() => gw.logs.find((line) => line.includes('connection to') && line.includes('lost')));
    // Its token was deleted: the agent cannot join again, by itself or otherwise.
    await eventually(() =>
      gw.logs.find((line) => line.includes('bad username or password: this node name has no node key bound')),
    );
    assert.equal(gw.agent.link.connected, false);
    await assert.rejects(impostor('gw-3', key, null), /Bad username or password/);
    await hubLogged('refused connection of node:gw-3', 'node gw-3 has no bound node key');
    assert.equal(await fleet.node('gw-3'), undefined);
    const binding = await fleet.api.get(
      `/api/v1/namespaces/kube-system/secrets/${nodeKeySecretName('gw-3')}`,
    );
    assert.equal(binding.status, 404);

    // A valid bootstrap token binds the name again (here to a new key) and the Node returns.
    await gw.agent.stop();
    const fresh = await fleet.hub.hub.mqtt.bootstrapTokens.create({ ttlMs: 3600_000 });
    const rejoined = await impostor('gw-3', aNodeKey(), fresh);
    const registration = { ...payloadExamples.register, observedAt: Date.now() };
    await rejoined.publishAsync(buildTopic(routes.register, { node: 'gw-3' }), encodePayload(registration), {
      qos: 1,
    });
    await eventually(async () => (await fleet.node('gw-3')) !== undefined);
    await assert.rejects(impostor('gw-3', key, null), /Not authorized/);
  });
});
