import assert from 'node:assert/strict';
import { connect as tlsConnect } from 'node:tls';
import { connectAsync } from 'mqtt';
import { silentLogger } from '../../../api/logger.js';
import { dashboardUsername } from '../../../api/mqtt/credentials.js';
import type { DesiredState } from '../../../api/mqtt/payloads/desired-state.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { startBroker } from '../../../hub/broker/broker.js';
import { loadHubCredentials } from '../../../hub/pki/hub-credentials.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { freePort } from '../agent/agent-harness.js';
import { followDesired } from './desired-follower.js';
import { aRegistration, connectGateway, startMqttTestHub } from './mqtt-hub.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('edge sync across a hub restart', () => {
  it("sends a gateway its state once, as the answer to its resync, not also at the hub's start", async () => {
    const dataDir = tempDir('restart-state');
    const node = 'gw-restart';
    const topic = buildTopic(routes.desired, { node });
    const deltaTopic = buildTopic(routes.desiredDelta, { node });
    const first = await startMqttTestHub({ dataDir });
    const nodeKey = first.keyOf(node);
    const gw = await connectGateway(first, node);
    await gw.send(routes.register, aRegistration(node));
    await eventually(async () => (await first.t.api.get(`/api/v1/nodes/${node}`)).status === 200);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: node, containers: [{ name: 'app', image: 'nginx:1.27' }] },
    };
    assert.equal((await first.t.api.post('/api/v1/namespaces/default/pods', pod)).status, 201);
    await eventually(() => first.edgeSync.publishedRevision(node) !== undefined);
    const before = first.edgeSync.publishedRevision(node)!;
    await gw.client.endAsync(true);
    await first.t.hub.stop(); // close() would remove the data directory

    const second = await startMqttTestHub({ dataDir });
    try {
      // The agent's connect sequence (the protocol document): register, subscribe, resync. Before,
      // a retained snapshot for every stored node went out at the hub's start, and the answer to
      // the resync brought the same state a second time.
      const back = await connectGateway(second, node, { nodeKey, clean: true });
      await back.send(routes.register, aRegistration(node));
      await back.client.subscribeAsync([topic, deltaTopic], { qos: 1 });
      await back.send(routes.resync, {
        observedAt: Date.now(),
        appliedRevision: before,
        reason: 'connected',
      });
      const state = await eventually<DesiredState | undefined>(() => followDesired(back).state);
      assert.deepEqual(
        state!.pods.map((p) => p.metadata.name),
        ['web'],
      );
      await sleep(300);
      assert.equal(back.received.get(topic)?.length, 1);
      await back.client.endAsync(true);
    } finally {
      await second.close();
    }
  });

  it('answers a gateway holding the state it would send with "you are current", and one holding another with the state', async () => {
    const dataDir = tempDir('restart-digest');
    const nodes = ['gw-current', 'gw-behind'];
    const topics = (node: string) => [
      buildTopic(routes.desired, { node }),
      buildTopic(routes.desiredDelta, { node }),
    ];
    const aPod = (name: string, node: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { nodeName: node, containers: [{ name: 'app', image: 'nginx:1.27' }] },
    });
    const first = await startMqttTestHub({ dataDir });
    const held = new Map<string, DesiredState>();
    const keys = new Map<string, string>();
    for (const node of nodes) {
      keys.set(node, first.keyOf(node));
      const gw = await connectGateway(first, node);
      await gw.send(routes.register, aRegistration(node));
      await gw.client.subscribeAsync(topics(node), { qos: 1 });
      await eventually(async () => (await first.t.api.get(`/api/v1/nodes/${node}`)).status === 200);
      assert.equal(
        (await first.t.api.post('/api/v1/namespaces/default/pods', aPod(`web-${node}`, node))).status,
        201,
      );
      const state = await eventually(() => {
        const s = followDesired(gw).state;
        return s?.pods.length === 1 ? s : undefined;
      });
      assert.equal(typeof state?.digest, 'string');
      held.set(node, state!);
      await gw.client.endAsync(true);
    }
    await first.t.hub.stop();

    const second = await startMqttTestHub({ dataDir });
    try {
      const back = new Map<string, Awaited<ReturnType<typeof connectGateway>>>();
      for (const node of nodes) {
        const gw = await connectGateway(second, node, { nodeKey: keys.get(node), clean: true });
        back.set(node, gw);
        await gw.send(routes.register, aRegistration(node));
        await gw.client.subscribeAsync(topics(node), { qos: 1 });
        const state = held.get(node)!;
        // gw-behind claims a digest of other content: it missed a change, as far as the hub can tell.
        const appliedDigest = node === 'gw-current' ? state.digest : 'not-what-the-hub-has';
        await gw.send(routes.resync, {
          observedAt: Date.now(),
          appliedRevision: state.revision,
          appliedDigest,
        });
      }
      const [snapshotOf, deltaOf] = topics('gw-current');
      const current = back.get('gw-current')!;
      const answer = await eventually(() => current.received.get(deltaOf!)?.[0]);
      const delta = JSON.parse(answer!.toString());
      assert.equal(delta.from, held.get('gw-current')!.revision);
      assert.equal(delta.revision, held.get('gw-current')!.revision);
      assert.equal(delta.set, undefined);
      const behind = await eventually(() => followDesired(back.get('gw-behind')!).state);
      assert.deepEqual(
        behind!.pods.map((p) => p.metadata.name),
        ['web-gw-behind'],
      );
      await sleep(300);
      assert.equal(current.received.get(snapshotOf!), undefined);
      assert.equal(second.edgeSync.publishedRevision('gw-current'), held.get('gw-current')!.revision);

      // Its next change comes as a snapshot (the broker lost the retained one with the restart).
      assert.equal(
        (await second.t.api.post('/api/v1/namespaces/default/pods', aPod('db', 'gw-current'))).status,
        201,
      );
      const after = await eventually(() => {
        const s = followDesired(current).state;
        return s?.pods.length === 2 ? s : undefined;
      });
      assert.ok(after!.revision > held.get('gw-current')!.revision);
      assert.notEqual(after!.digest, held.get('gw-current')!.digest);
      for (const gw of back.values()) await gw.client.endAsync(true);
    } finally {
      await second.close();
    }
  });

  it('refuses connections until the broker opens its listeners, then lets them in', async () => {
    const hub = await startMqttTestHub();
    const credentials = await loadHubCredentials(hub.t.dataDir, '127.0.0.1');
    const port = await freePort();
    const broker = await startBroker({
      tokens: hub.tokens,
      credentials: hub.mqtt.credentials,
      bind: '127.0.0.1',
      tls: { ...credentials.broker, caPem: credentials.ca.certPem },
      port,
      log: silentLogger,
    });
    try {
      assert.equal(broker.port, undefined);
      const early = tlsConnect({ port, host: '127.0.0.1', ca: hub.mqtt.caPem, servername: 'localhost' });
      const outcome = await new Promise<string>((resolve) => {
        early.once('secureConnect', () => resolve('handshake completed'));
        early.once('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message));
      });
      assert.equal(outcome, 'ECONNREFUSED');
      await broker.listen();
      assert.equal(broker.port, port);
      const dashboard = await connectAsync(`mqtts://127.0.0.1:${port}`, {
        protocolVersion: 4,
        clientId: 'dash-restart',
        username: dashboardUsername,
        password: hub.tokens.dashboard,
        reconnectPeriod: 0,
        ca: hub.mqtt.caPem,
      });
      assert.equal(dashboard.connected, true);
      await dashboard.endAsync(true);
    } finally {
      await broker.close();
      await hub.close();
    }
  });
});
