import assert from 'node:assert/strict';
import { segmentSubscription } from '../../../api/mqtt/agent-session.js';
import { decodePayload } from '../../../api/mqtt/codec.js';
import { type DesiredState, protocolVersion } from '../../../api/mqtt/payloads/desired-state.js';
import { podRoutesDigest } from '../../../api/mqtt/payloads/pod-routes.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
import { followDesired } from './desired-follower.js';
import {
  aRegistration,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

function aPodOn(node: string, name: string, configMap: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: node,
      containers: [{ name: 'app', image: 'nginx:1.27', envFrom: [{ configMapRef: { name: configMap } }] }],
    },
  };
}

function aConfigMap(name: string, data: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

describe('edge sync: desired state goes to the node it concerns', () => {
  let hub: MqttTestHub;
  let gw: Gateway;
  const topic = buildTopic(routes.desired, { node: 'gw-des' });
  const deltaTopic = buildTopic(routes.desiredDelta, { node: 'gw-des' });
  const subscribe = (g: Gateway) => g.client.subscribeAsync([topic, deltaTopic], { qos: 1 });
  const count = (t: string, g: Gateway = gw) => g.received.get(t)?.length ?? 0;

  /** The desired state the gateway holds after what it received. */
  const latest = (g: Gateway = gw): DesiredState | undefined => followDesired(g).state;

  /** Waits for a desired state that satisfies `check`. */
  const stateWhere = async (check: (s: DesiredState) => boolean): Promise<DesiredState> => {
    const found = await eventually(() => {
      const s = latest();
      return s && check(s) ? s : undefined;
    });
    return found!;
  };

  before(async () => {
    hub = await startMqttTestHub();
    gw = await connectGateway(hub, 'gw-des');
    await gw.send(routes.register, aRegistration('gw-des'));
    await subscribe(gw);
  });
  after(async () => {
    await gw.client.endAsync(true);
    await hub.close();
  });

  it('publishes a pod bound to the node together with the config map it references, and no Services', async () => {
    assert.equal(
      (
        await hub.t.api.post(
          '/api/v1/namespaces/default/configmaps',
          aConfigMap('app-config', { MODE: 'edge' }),
        )
      ).status,
      201,
    );
    assert.equal(
      (await hub.t.api.post('/api/v1/namespaces/default/configmaps', aConfigMap('unrelated', { X: '1' })))
        .status,
      201,
    );
    assert.equal(
      (await hub.t.api.post('/api/v1/namespaces/default/pods', aPodOn('gw-des', 'web', 'app-config'))).status,
      201,
    );
    assert.equal(
      (await hub.t.api.post('/api/v1/namespaces/default/pods', aPodOn('gw-other', 'elsewhere', 'unrelated')))
        .status,
      201,
    );
    const state = await stateWhere((s) => s.pods.length === 1);
    assert.equal(state.node, 'gw-des');
    assert.equal(state.protocol, protocolVersion);
    assert.deepEqual(
      state.pods.map((p) => p.metadata.name),
      ['web'],
    );
    // And the CA bundle its ServiceAccount token volume projects.
    assert.deepEqual(
      state.configMaps.map((c) => c.metadata.name),
      ['app-config', 'kube-root-ca.crt'],
    );
    assert.deepEqual(state.configMaps[0]!.data, { MODE: 'edge' });
    assert.equal(state.pods[0]!.status, undefined);
    assert.equal(state.pods[0]!.metadata.resourceVersion, undefined);
    assert.equal('services' in state, false);
    assert.equal(state.segment, 'site-hall-3');
  });

  it('records the revision the agent acknowledges', async () => {
    const state = latest()!;
    await gw.send(routes.ack, { revision: state.revision, observedAt: Date.now() });
    await eventually(() => hub.edgeSync.appliedRevision('gw-des') === state.revision);
  });

  it('sends a change as a delta from the last revision, and nothing for a pod status write', async () => {
    const before = latest()!.revision;
    const [snapshots, deltas] = [count(topic), count(deltaTopic)];
    const res = await hub.t.api.patch(
      '/api/v1/namespaces/default/configmaps/app-config',
      { data: { MODE: 'offline-first' } },
      'application/merge-patch+json',
    );
    assert.equal(res.status, 200);
    const next = await stateWhere((s) => (s.configMaps[0]?.data as any)?.MODE === 'offline-first');
    assert.ok(next.revision > before);
    assert.equal(count(deltaTopic), deltas + 1);
    assert.equal(count(topic), snapshots);
    const delta = decodePayload(routes.desiredDelta, gw.received.get(deltaTopic)!.at(-1)!);
    assert.ok(delta.ok);
    assert.equal(delta.value.from, before);
    assert.deepEqual(Object.keys(delta.value.set ?? {}), ['configMaps'], 'only what changed');

    await gw.send(routes.podStatus, {
      items: [
        {
          namespace: 'default',
          name: 'web',
          uid: next.pods[0]!.metadata.uid!,
          observedAt: Date.now(),
          status: { phase: 'Running' },
        },
      ],
    });
    await eventually(
      async () =>
        (await hub.t.api.get('/api/v1/namespaces/default/pods/web')).json().status.phase === 'Running',
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // longer than the coalescing window
    assert.equal(count(deltaTopic), deltas + 1);
    assert.equal(count(topic), snapshots);

    // A config map only another gateway's pod references is nothing of this one's.
    const unrelated = await hub.t.api.patch(
      '/api/v1/namespaces/default/configmaps/unrelated',
      { data: { X: '2' } },
      'application/merge-patch+json',
    );
    assert.equal(unrelated.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(count(deltaTopic), deltas + 1);
  });

  it('answers a resync from an agent holding the current revision with an empty delta', async () => {
    const current = latest()!.revision;
    const [snapshots, deltas] = [count(topic), count(deltaTopic)];
    await gw.send(routes.resync, { observedAt: Date.now(), appliedRevision: current, reason: 'connected' });
    await eventually(() => count(deltaTopic) === deltas + 1);
    const answer = decodePayload(routes.desiredDelta, gw.received.get(deltaTopic)!.at(-1)!);
    assert.ok(answer.ok);
    assert.deepEqual(answer.value, {
      protocol: protocolVersion,
      node: 'gw-des',
      from: current,
      revision: current,
    });
    assert.equal(count(topic), snapshots);
  });

  it('resyncs a gateway that reconnects after missing deltas: the full state at the current revision', async () => {
    const missed = latest()!.revision;
    // Gone without its session: the deltas published meanwhile never reach it.
    await gw.client.endAsync();
    const res = await hub.t.api.patch(
      '/api/v1/namespaces/default/configmaps/app-config',
      { data: { MODE: 'changed-while-away' } },
      'application/merge-patch+json',
    );
    assert.equal(res.status, 200);
    await eventually(() => (hub.edgeSync.publishedRevision('gw-des') ?? 0) > missed);
    gw = await connectGateway(hub, 'gw-des', { clean: true });
    await subscribe(gw);
    // The retained snapshot may lag behind the deltas; the resync brings exactly this node's state.
    await gw.send(routes.resync, { observedAt: Date.now(), appliedRevision: missed, reason: 'connected' });
    const state = await stateWhere((s) => (s.configMaps[0]?.data as any)?.MODE === 'changed-while-away');
    assert.equal(state.revision, hub.edgeSync.publishedRevision('gw-des'));
    assert.deepEqual(
      state.pods.map((p) => p.metadata.name),
      ['web'],
    );
  });

  it('republishes the full state on a resync from an agent that holds nothing (same revision)', async () => {
    const expected = latest()!.revision;
    const snapshots = count(topic);
    await gw.send(routes.resync, { observedAt: Date.now(), reason: 'no desired state yet' });
    await eventually(() => count(topic) === snapshots + 1);
    const snapshot = decodePayload(routes.desired, gw.received.get(topic)!.at(-1)!);
    assert.ok(snapshot.ok);
    assert.equal(snapshot.value.revision, expected);
  });

  it('removes a pod from the desired state once it is deleted and the agent confirms', async () => {
    const uid = latest()!.pods[0]!.metadata.uid!;
    assert.equal((await hub.t.api.delete('/api/v1/namespaces/default/pods/web')).status, 200);
    await stateWhere((s) => s.pods[0]?.metadata.deletionTimestamp !== undefined);
    await gw.send(routes.podStatus, {
      items: [
        {
          namespace: 'default',
          name: 'web',
          uid,
          observedAt: Date.now(),
          finalized: true,
          status: { phase: 'Running' },
        },
      ],
    });
    await eventually(async () => (await hub.t.api.get('/api/v1/namespaces/default/pods/web')).status === 404);
    await stateWhere((s) => s.pods.length === 0 && s.configMaps.length === 0);
  });

  it("shares each gateway's pod route in its segment only, without touching the others' own state", async () => {
    await gw.client.subscribeAsync(segmentSubscription('site-hall-3').filter, { qos: 1 });
    const routeTopic = buildTopic(routes.podRoute, { segment: 'site-hall-3', node: 'gw-peer' });
    const [snapshots, deltas] = [count(topic), count(deltaTopic)];
    const peer = await connectGateway(hub, 'gw-peer');
    const far = await connectGateway(hub, 'gw-far');
    try {
      await peer.send(routes.register, {
        ...aRegistration('gw-peer'),
        addresses: [{ type: 'InternalIP', address: '192.168.10.18' }],
      });
      const elsewhere = aRegistration('gw-far');
      await far.send(routes.register, {
        ...elsewhere,
        labels: { ...elsewhere.labels, 'flotilla.io/site': 'hall-9' },
        addresses: [{ type: 'InternalIP', address: '192.168.10.19' }],
      });
      for (const node of ['gw-peer', 'gw-far']) {
        await eventually(async () => (await hub.t.api.get(`/api/v1/nodes/${node}`)).status === 200);
      }
      for (const [node, podCIDR] of [
        ['gw-des', '10.42.7.0/24'],
        ['gw-peer', '10.42.8.0/24'],
        ['gw-far', '10.42.9.0/24'],
      ] as const) {
        const res = await hub.t.api.patch(
          `/api/v1/nodes/${node}`,
          { spec: { podCIDR, podCIDRs: [podCIDR] } },
          'application/merge-patch+json',
        );
        assert.equal(res.status, 200);
      }
      await stateWhere((s) => s.podCIDR === '10.42.7.0/24');
      await eventually(() => count(routeTopic) > 0);
      const route = decodePayload(routes.podRoute, gw.received.get(routeTopic)!.at(-1)!);
      assert.ok(route.ok);
      assert.deepEqual(route.value, { node: 'gw-peer', podCIDR: '10.42.8.0/24', via: '192.168.10.18' });
      // Another site's gateway is not routed to from here.
      assert.ok(![...gw.received.keys()].some((t) => t.includes('gw-far')));
      // Two gateways joined; this one's own state changed once, for its own pod CIDR.
      assert.equal(count(topic) + count(deltaTopic), snapshots + deltas + 1);
      // The whole set on request, only when what the gateway holds differs from it.
      const peerRoute = { node: 'gw-peer', podCIDR: '10.42.8.0/24', via: '192.168.10.18' };
      const setTopic = buildTopic(routes.routeSet, { node: 'gw-des' });
      await gw.client.subscribeAsync(setTopic, { qos: 1 });
      await gw.send(routes.routesResync, { segment: 'site-hall-3', digest: podRoutesDigest([]) });
      await eventually(() => count(setTopic) === 1);
      const set = decodePayload(routes.routeSet, gw.received.get(setTopic)![0]!);
      assert.ok(set.ok);
      assert.deepEqual(set.value, {
        segment: 'site-hall-3',
        digest: podRoutesDigest([peerRoute]),
        routes: [peerRoute],
      });
      await gw.send(routes.routesResync, { segment: 'site-hall-3', digest: podRoutesDigest([peerRoute]) });
      // A segment the node is not in: its own state names the right one.
      await gw.send(routes.routesResync, { segment: 'site-hall-9', digest: podRoutesDigest([]) });
      await gw.send(routes.routesResync, { segment: 'site-hall-3', digest: 'stale' });
      await eventually(() => count(setTopic) === 2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(count(setTopic), 2, 'only the stale digest was answered');
      assert.equal((await hub.t.api.delete('/api/v1/nodes/gw-peer')).status, 200);
      await eventually(() => gw.received.get(routeTopic)!.at(-1)!.byteLength === 0);
    } finally {
      await peer.client.endAsync(true);
      await far.client.endAsync(true);
    }
  });
});
