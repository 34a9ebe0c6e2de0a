import assert from 'node:assert/strict';
import { silentLogger } from '../../../api/logger.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { startEdgeSync } from '../../../hub/edge-sync/edge-sync.js';
import { aDeployment, aNamespace, aNode, aPod } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aRegistration,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

/** What the broker holds retained under a filter, parsed (its store, as a new subscriber would get it). */
async function retained(hub: MqttTestHub, filter: string): Promise<Map<string, any>> {
  const persistence = (hub.mqtt.broker.aedes as any).persistence;
  const found = new Map<string, any>();
  for await (const packet of persistence.createRetainedStream(filter))
    found.set(packet.topic, JSON.parse(packet.payload.toString()));
  return found;
}

const workload = (namespace: string, kind: string, name: string) =>
  buildTopic(routes.workloadSummary, { namespace, kind, name });

describe('edge sync: a summary lives exactly as long as what it describes', () => {
  let hub: MqttTestHub;
  const gateways: Gateway[] = [];
  before(async () => {
    hub = await startMqttTestHub({ controllers: 'all' });
  });
  after(async () => {
    for (const gw of gateways) await gw.client.endAsync(true);
    await hub.close();
  });

  const summaryOf = async (topic: string) => (await retained(hub, topic)).get(topic);

  async function aDeploymentOf2(namespace: string, name: string): Promise<void> {
    const deployment = { ...aDeployment(name), metadata: { name, namespace } };
    const res = await hub.t.api.post(`/apis/apps/v1/namespaces/${namespace}/deployments`, deployment);
    assert.equal(res.status, 201, res.text);
    await eventually(async () => (await summaryOf(workload(namespace, 'deployment', name)))?.pods === 2);
  }

  for (const propagationPolicy of ['Background', 'Foreground']) {
    it(`clears a Deployment's summary when it is deleted with the ${propagationPolicy} policy`, async () => {
      const name = `web-${propagationPolicy.toLowerCase()}`;
      await aDeploymentOf2('default', name);
      const summary = await summaryOf(workload('default', 'deployment', name));
      assert.deepEqual({ ...summary, updated: 0 }, { desired: 2, pods: 2, ready: 0, nodes: [], updated: 0 });
      const res = await hub.t.api.delete(`/apis/apps/v1/namespaces/default/deployments/${name}`, {
        propagationPolicy,
      });
      assert.equal(res.status, 200, res.text);
      await eventually(
        async () => (await hub.t.api.get(`/api/v1/namespaces/default/pods`)).json().items.length === 0,
      );
      await eventually(
        async () => (await retained(hub, 'flotilla/v1/summary/workloads/default/#')).size === 0,
      );
    });
  }

  it('moves an orphaned ReplicaSet’s pods into a summary of its own when its Deployment goes', async () => {
    await aDeploymentOf2('default', 'orphaned');
    const res = await hub.t.api.delete('/apis/apps/v1/namespaces/default/deployments/orphaned', {
      propagationPolicy: 'Orphan',
    });
    assert.equal(res.status, 200, res.text);
    const rs = (await hub.t.api.get('/apis/apps/v1/namespaces/default/replicasets')).json().items[0];
    const own = workload('default', 'replicaset', rs.metadata.name);
    const summary = await eventually(async () => {
      const all = await retained(hub, 'flotilla/v1/summary/workloads/default/#');
      return (
        !all.has(workload('default', 'deployment', 'orphaned')) && all.get(own)?.pods === 2 && all.get(own)
      );
    });
    assert.equal(summary.desired, 2);
    await hub.t.api.delete(`/apis/apps/v1/namespaces/default/replicasets/${rs.metadata.name}`);
    await eventually(async () => (await retained(hub, 'flotilla/v1/summary/workloads/default/#')).size === 0);
  });

  it('clears every summary of a namespace when the namespace is deleted', async () => {
    assert.equal((await hub.t.api.post('/api/v1/namespaces', aNamespace('plant-a'))).status, 201);
    await aDeploymentOf2('plant-a', 'line');
    const bare = { ...aPod('probe'), metadata: { name: 'probe', namespace: 'plant-a' } };
    assert.equal((await hub.t.api.post('/api/v1/namespaces/plant-a/pods', bare)).status, 201);
    await eventually(async () => (await summaryOf(workload('plant-a', 'pod', 'probe')))?.desired === 1);
    assert.equal((await hub.t.api.delete('/api/v1/namespaces/plant-a')).status, 200);
    await eventually(async () => (await retained(hub, 'flotilla/v1/summary/workloads/plant-a/#')).size === 0);
  });

  it('shows a gateway’s site, zone, arch and last-seen, and clears its summary when its Node goes', async () => {
    const gw = await connectGateway(hub, 'gw-site');
    gateways.push(gw);
    const registration = aRegistration('gw-site');
    registration.labels['topology.kubernetes.io/zone'] = 'north';
    await gw.send(routes.register, registration);
    const topic = buildTopic(routes.nodeSummary, { node: 'gw-site' });
    const online = await eventually(async () => (await summaryOf(topic))?.online && (await summaryOf(topic)));
    assert.equal(online.site, 'hall-3');
    assert.equal(online.zone, 'north');
    assert.equal(online.arch, registration.labels['kubernetes.io/arch']);
    const wentAway = Date.now() - 5_000;
    await gw.send(routes.presence, { state: 'offline', since: wentAway });
    await eventually(async () => (await summaryOf(topic))?.lastSeen === wentAway);
    assert.equal((await summaryOf(topic)).online, false);
    assert.equal((await hub.t.api.delete('/api/v1/nodes/gw-site')).status, 200);
    await eventually(async () => (await summaryOf(topic)) === undefined);
  });

  it('clears, at a start, the summaries the broker kept of objects that are gone', async () => {
    await aDeploymentOf2('default', 'kept');
    // A gateway that stays away across the restart: dated by the last heartbeat its Lease kept.
    assert.equal((await hub.t.api.post('/api/v1/nodes', aNode('gw-away'))).status, 201);
    const renewTime = '2026-12-07T10:00:00.000000Z';
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'gw-away', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'gw-away', leaseDurationSeconds: 40, renewTime },
    };
    const created = await hub.t.api.post(
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
      lease,
    );
    assert.equal(created.status, 201, created.text);
    const ghosts = [
      workload('default', 'deployment', 'deleted-meanwhile'),
      buildTopic(routes.nodeSummary, { node: 'gw-gone' }),
    ];
    const stale = JSON.stringify({ desired: 1, pods: 1, ready: 1, nodes: [], updated: 1 });
    for (const topic of [...ghosts, workload('default', 'deployment', 'kept')]) {
      await new Promise<void>((resolve) =>
        hub.mqtt.broker.aedes.publish(
          { cmd: 'publish', topic, payload: Buffer.from(stale), qos: 1, retain: true, dup: false },
          () => resolve(),
        ),
      );
    }
    // A second edge sync on the same broker and store is what a restarted hub runs against a
    // broker whose retained store outlived it.
    const link = hub.mqtt.broker.aedes;
    const restarted = startEdgeSync({
      registry: hub.t.hub.registry,
      store: hub.t.hub.registry.store,
      publish: (topic, payload, options) =>
        link.publish(
          { cmd: 'publish', topic, payload, qos: options.qos, retain: options.retain, dup: false },
          () => {},
        ),
      clock: { now: () => new Date() },
      log: silentLogger,
      retainedTopics: async (filter) => [...(await retained(hub, filter)).keys()],
    });
    try {
      await eventually(async () => {
        const all = await retained(hub, 'flotilla/v1/summary/#');
        return (
          ghosts.every((topic) => !all.has(topic)) &&
          all.get(workload('default', 'deployment', 'kept'))?.pods === 2
        );
      });
      const away = await summaryOf(buildTopic(routes.nodeSummary, { node: 'gw-away' }));
      assert.equal(away.online, false);
      assert.equal(away.lastSeen, Date.parse('2026-12-07T10:00:00Z'));
    } finally {
      restarted.stop();
    }
  });
});
