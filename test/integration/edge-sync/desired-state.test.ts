import assert from 'node:assert/strict';
import { decodePayload } from '../../../api/mqtt/codec.js';
import type { DesiredState } from '../../../api/mqtt/payloads/desired-state.js';
import { isNewerRevision } from '../../../api/mqtt/revision.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { eventually } from '../../helpers/eventually.js';
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

  /** The newest desired state the gateway received, decoded. */
  const latest = (g: Gateway = gw): DesiredState | undefined => {
    const messages = g.received.get(topic) ?? [];
    const last = messages[messages.length - 1];
    if (!last) return undefined;
    const decoded = decodePayload(routes.desired, last);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
    return decoded.value;
  };

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
    await gw.client.subscribeAsync(topic, { qos: 1 });
  });
  after(async () => {
    await gw.client.endAsync(true);
    await hub.close();
  });

  it('publishes a pod bound to the node together with the config map it references', async () => {
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
    assert.deepEqual(
      state.pods.map((p) => p.metadata.name),
      ['web'],
    );
    assert.deepEqual(
      state.configMaps.map((c) => [c.metadata.name, c.data]),
      [['app-config', { MODE: 'edge' }]],
    );
    assert.equal(state.pods[0]!.status, undefined);
    assert.equal(state.pods[0]!.metadata.resourceVersion, undefined);
    assert.ok(Array.isArray(state.services) && Array.isArray(state.endpointSlices));
  });

  it('records the revision the agent acknowledges', async () => {
    const state = latest()!;
    await gw.send(routes.ack, { revision: state.revision, observedAt: Date.now() });
    await eventually(() => hub.mqtt.edgeSync.appliedRevision('gw-des') === state.revision);
  });

  it('publishes a higher revision when a referenced config map changes, and nothing for a pod status write', async () => {
    const before = latest()!.revision;
    const count = gw.received.get(topic)!.length;
    const res = await hub.t.api.patch(
      '/api/v1/namespaces/default/configmaps/app-config',
      { data: { MODE: 'offline-first' } },
      'application/merge-patch+json',
    );
    assert.equal(res.status, 200);
    const next = await stateWhere((s) => (s.configMaps[0]?.data as any)?.MODE === 'offline-first');
    assert.ok(next.revision > before);
    assert.equal(gw.received.get(topic)!.length, count + 1);

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
    assert.equal(gw.received.get(topic)!.length, count + 1);
  });

  it('hands the retained desired state to a reconnecting agent at once', async () => {
    const expected = latest()!.revision;
    await gw.client.endAsync();
    gw = await connectGateway(hub, 'gw-des', { clean: true });
    await gw.client.subscribeAsync(topic, { qos: 1 });
    await eventually(() => latest()?.revision === expected);
  });

  it('republishes the full state on a resync request (same revision when nothing changed)', async () => {
    const expected = latest()!.revision;
    const count = gw.received.get(topic)!.length;
    await gw.send(routes.resync, { observedAt: Date.now(), reason: 'test' });
    await eventually(() => gw.received.get(topic)!.length === count + 1);
    assert.equal(latest()!.revision, expected);
  });

  it('lets an agent ignore duplicates and reordering with isNewerRevision', () => {
    const messages = gw.received
      .get(topic)!
      .map((m) => decodePayload(routes.desired, m))
      .flatMap((d) => (d.ok ? [d.value] : []));
    const shuffled = [...messages, ...messages].reverse();
    let applied: DesiredState | undefined;
    for (const m of shuffled) if (isNewerRevision(m.revision, applied?.revision)) applied = m;
    assert.equal(applied?.revision, Math.max(...messages.map((m) => m.revision)));
    assert.deepEqual(applied, latest());
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

  it("routes to the other gateways' pod networks via their InternalIPs, and drops a deleted node's", async () => {
    const peer = await connectGateway(hub, 'gw-peer');
    try {
      await peer.send(routes.register, {
        ...aRegistration('gw-peer'),
        addresses: [{ type: 'InternalIP', address: '192.168.10.18' }],
      });
      await eventually(async () => (await hub.t.api.get('/api/v1/nodes/gw-peer')).status === 200);
      for (const [node, podCIDR] of [
        ['gw-des', '10.42.7.0/24'],
        ['gw-peer', '10.42.8.0/24'],
      ] as const) {
        const res = await hub.t.api.patch(
          `/api/v1/nodes/${node}`,
          { spec: { podCIDR, podCIDRs: [podCIDR] } },
          'application/merge-patch+json',
        );
        assert.equal(res.status, 200);
      }
      const state = await stateWhere((s) => (s.podRoutes ?? []).length > 0);
      assert.equal(state.podCIDR, '10.42.7.0/24');
      assert.deepEqual(state.podRoutes, [{ node: 'gw-peer', podCIDR: '10.42.8.0/24', via: '192.168.10.18' }]);
      assert.equal((await hub.t.api.delete('/api/v1/nodes/gw-peer')).status, 200);
      await stateWhere((s) => s.podRoutes === undefined);
    } finally {
      await peer.client.endAsync(true);
    }
  });
});
