import assert from 'node:assert/strict';
import { systemClock } from '../../../api/clock.js';
import { silentLogger } from '../../../api/logger.js';
import { decodePayload } from '../../../api/mqtt/codec.js';
import { buildTopic, routes } from '../../../api/mqtt/route-table.js';
import { SharedInformers } from '../../../hub/client/shared-informers.js';
import { SummaryPublisher } from '../../../hub/edge-sync/summaries.js';
import { eventually } from '../../helpers/eventually.js';
import {
  aRegistration,
  connectDashboard,
  connectGateway,
  type Gateway,
  type MqttTestHub,
  startMqttTestHub,
} from './mqtt-hub.js';

/** A gateway that acknowledges every desired state it gets, as the agent does. */
async function anAckingGateway(hub: MqttTestHub, node: string): Promise<Gateway> {
  const gw = await connectGateway(hub, node);
  const desired = buildTopic(routes.desired, { node });
  gw.client.on('message', (topic, payload) => {
    if (topic !== desired || payload.length === 0) return;
    const decoded = decodePayload(routes.desired, payload);
    if (!decoded.ok) return;
    void gw.send(routes.ack, { revision: decoded.value.revision, observedAt: Date.now() });
  });
  await gw.client.subscribeAsync(desired, { qos: 1 });
  await gw.send(routes.register, aRegistration(node));
  return gw;
}

describe('edge sync: dashboard summaries publish only what changed', () => {
  let hub: MqttTestHub;
  const gateways: Gateway[] = [];
  after(async () => {
    for (const gw of gateways) await gw.client.endAsync(true);
    await hub.close();
  });

  it('does not republish every node summary when a Service changes', async () => {
    hub = await startMqttTestHub();
    for (const node of ['gw-a', 'gw-b']) gateways.push(await anAckingGateway(hub, node));
    const dash = await connectDashboard(hub);
    gateways.push(dash);
    await dash.client.subscribeAsync('flotilla/v1/summary/#');
    const summaries = (node: string) => dash.received.get(buildTopic(routes.nodeSummary, { node })) ?? [];
    const last = (node: string) => {
      const got = summaries(node);
      return got.length ? JSON.parse(got[got.length - 1]!.toString()) : undefined;
    };
    for (const node of ['gw-a', 'gw-b']) {
      await eventually(() => last(node)?.ready === 'True' && last(node)?.online);
      await eventually(() => {
        const applied = hub.edgeSync.appliedRevision(node);
        return applied !== undefined && applied === hub.edgeSync.publishedRevision(node);
      });
    }
    const revisionBefore = hub.edgeSync.publishedRevision('gw-a')!;
    const countBefore = summaries('gw-a').length;
    assert.equal(last('gw-a').revision, undefined, 'a gateway in sync shows no revision lag');

    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    };
    const allSummaries = () => dash.log.filter((m) => m.topic.startsWith('flotilla/v1/summary/')).length;
    const totalBefore = allSummaries();
    const services = '/api/v1/namespaces/default/services';
    assert.equal((await hub.t.api.post(services, service)).status, 201);
    const patch = { metadata: { labels: { tier: 'front' } }, spec: { ports: [{ port: 8080 }] } };
    const patched = await hub.t.api.patch(`${services}/web`, patch, 'application/merge-patch+json');
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await hub.t.api.delete(`${services}/web`)).status, 200);
    // The Service goes out once, on its shared topic (desired-state protocol 2): no gateway's own
    // state, and so no revision a node summary could show, changes.
    await hub.edgeSync.idle();
    // A change of gw-b's own: once its summary shows it, any summary marked before is out too.
    await gateways[1]!.send(routes.presence, { state: 'offline', since: Date.now() });
    await eventually(() => last('gw-b')?.online === false);
    assert.equal(summaries('gw-a').length, countBefore);
    // Measured on the wire: a Service created, changed and deleted cost no summary message at
    // all; the one that came is gw-b's going offline.
    assert.equal(allSummaries() - totalBefore, 1);
    assert.equal(hub.edgeSync.publishedRevision('gw-a'), revisionBefore);
  });

  it('shows the revisions of a gateway that stays behind, and takes them away once it caught up', async () => {
    const informers = new SharedInformers(hub.t.hub.registry.store);
    const sent: Array<{ topic: string; body: any }> = [];
    const revisions = { published: 7, applied: 6 };
    const publisher = new SummaryPublisher(
      informers,
      (topic, payload) =>
        sent.push({ topic, body: payload.length ? JSON.parse(payload.toString()) : undefined }),
      { publishedRevision: () => revisions.published, appliedRevision: () => revisions.applied },
      systemClock,
      5,
      silentLogger,
      50,
    );
    try {
      const topic = buildTopic(routes.nodeSummary, { node: 'gw-a' });
      const latest = () => sent.filter((m) => m.topic === topic).at(-1)?.body;
      await eventually(() => latest()?.ready);
      assert.equal(latest().revision, undefined);
      publisher.revisionChanged('gw-a');
      const behind = await eventually(() => latest()?.revision === 7 && latest());
      assert.equal(behind.applied, 6);
      revisions.applied = 7;
      publisher.revisionChanged('gw-a');
      await eventually(() => latest()?.revision === undefined);
    } finally {
      publisher.stop();
      informers.stop();
    }
  });

  it('counts a workload’s pods, Ready ones and nodes, and a node’s pods, as pods change', async () => {
    const informers = new SharedInformers(hub.t.hub.registry.store);
    const sent = new Map<string, any>();
    const publisher = new SummaryPublisher(
      informers,
      (topic, payload) => sent.set(topic, payload.length ? JSON.parse(payload.toString()) : undefined),
      { publishedRevision: () => undefined, appliedRevision: () => undefined },
      systemClock,
      5,
    );
    const pods = '/api/v1/namespaces/default/pods';
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'batch' },
      spec: {
        parallelism: 3,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'docker.io/library/busybox:1.36' }],
          },
        },
      },
    };
    const created = await hub.t.api.post('/apis/batch/v1/namespaces/default/jobs', job);
    assert.equal(created.status, 201, created.text);
    const uid = created.json().metadata.uid;
    const owner = { apiVersion: 'batch/v1', kind: 'Job', name: 'batch', uid, controller: true };
    const setStatus = async (name: string, phase: string, ready: boolean) => {
      const pod = (await hub.t.api.get(`${pods}/${name}`)).json();
      pod.status = { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
      assert.equal((await hub.t.api.put(`${pods}/${name}/status`, pod)).status, 200);
    };
    const workload = buildTopic(routes.workloadSummary, { namespace: 'default', kind: 'job', name: 'batch' });
    const node = buildTopic(routes.nodeSummary, { node: 'gw-b' });
    try {
      for (const [name, nodeName] of [
        ['batch-1', 'gw-a'],
        ['batch-2', 'gw-b'],
        ['batch-3', 'gw-b'],
      ]) {
        const res = await hub.t.api.post(pods, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, ownerReferences: [owner] },
          spec: { nodeName, containers: [{ name: 'main', image: 'docker.io/library/busybox:1.36' }] },
        });
        assert.equal(res.status, 201, res.text);
      }
      await eventually(() => sent.get(workload)?.pods === 3);
      assert.deepEqual(
        { ...sent.get(workload), updated: 0 },
        { desired: 3, pods: 3, ready: 0, nodes: ['gw-a', 'gw-b'], updated: 0 },
      );
      await setStatus('batch-2', 'Running', true);
      await setStatus('batch-3', 'Running', false);
      await eventually(() => sent.get(workload)?.ready === 1 && sent.get(node)?.running === 2);
      assert.equal(sent.get(node).pods, 2);
      assert.equal((await hub.t.api.delete(`${pods}/batch-1?gracePeriodSeconds=0`)).status, 200);
      await eventually(() => sent.get(workload)?.pods === 2);
      assert.deepEqual(sent.get(workload).nodes, ['gw-b']);
      for (const name of ['batch-2', 'batch-3'])
        assert.equal((await hub.t.api.delete(`${pods}/${name}?gracePeriodSeconds=0`)).status, 200);
      await eventually(() => sent.get(workload)?.pods === 0);
      // The workload is gone: its retained summary is cleared; the node's shows no pods.
      assert.equal((await hub.t.api.delete('/apis/batch/v1/namespaces/default/jobs/batch')).status, 200);
      await eventually(() => sent.has(workload) && sent.get(workload) === undefined);
      await eventually(() => sent.get(node)?.pods === 0);
    } finally {
      publisher.stop();
      informers.stop();
    }
  });
});
