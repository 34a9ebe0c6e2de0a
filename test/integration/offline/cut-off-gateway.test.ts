import assert from 'node:assert/strict';
import { aPod, type TestObject } from '../../helpers/builders.js';
import { eventually } from '../../helpers/eventually.js';
import { condition, type Gateway, OfflineFleet, tableAccept } from './offline-fleet.js';

const node = 'gw-a';
const controllers = ['namespace', 'node-ipam', 'node-lifecycle', 'taint-eviction', 'pod-gc'];

/** A pod bound by hand to the gateway, with a disconnect policy when given. */
function boundPod(name: string, policy?: string): TestObject {
  const pod = aPod(name);
  pod.spec.nodeName = node;
  pod.spec.containers[0].image = 'docker.io/library/busybox:1.36';
  if (policy) pod.metadata.annotations = { 'flotilla.io/disconnect': policy };
  return pod;
}

describe('a gateway cut off from its hub: disconnect policy and last seen', function () {
  this.timeout(60_000);
  let fleet: OfflineFleet;
  let gw: Gateway;

  const create = async (pod: TestObject) => {
    const res = await fleet.api.post('/api/v1/namespaces/default/pods', pod);
    assert.equal(res.status, 201, res.text);
  };
  const readyPod = (name: string) =>
    eventually(
      async () => {
        const pod = await fleet.pod(name);
        return pod?.status?.phase === 'Running' && condition(pod, 'Ready')?.status === 'True' && pod;
      },
      { timeoutMs: 15_000 },
    ) as Promise<TestObject>;
  const eventReasons = async (pod: string) =>
    (await fleet.api.get(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=${pod}`))
      .json()
      .items.map((e: { reason: string }) => e.reason);
  const nodeReady = async () => condition(await fleet.node(node), 'Ready');

  before(async () => {
    fleet = await OfflineFleet.start(controllers);
    gw = await fleet.startGateway(node);
    await eventually(async () => (await nodeReady())?.status === 'True');
    await create(boundPod('stays'));
    await create(boundPod('stops', 'stop-after=2s'));
    await readyPod('stays');
    await readyPod('stops');
  });
  after(async () => {
    await fleet?.close();
  });

  it('stops a stop-after pod once it has been offline that long, and starts it again after reconnect', async () => {
    const cutAt = Date.now();
    gw.link.sever();
    await eventually(async () => (await fleet.runningOn(node)).join() === 'stays', { timeoutMs: 10_000 });
    assert.ok(Date.now() - cutAt >= 2_000, 'not before its 2 s were up');
    assert.equal(gw.agent.link.connected, false);

    gw.link.restore();
    await eventually(async () => (await fleet.runningOn(node)).join() === 'stays,stops', {
      timeoutMs: 10_000,
    });
    const pod = await readyPod('stops');
    assert.equal(pod.status.reason, undefined);
    // What happened offline reached the hub afterwards, as events of the pod.
    await eventually(async () => {
      const reasons = await eventReasons('stops');
      return reasons.includes('Disconnected') && reasons.includes('Reconnected');
    });
  });

  it("shows the node's last heartbeat and its pods as last reported while it is cut off", async () => {
    gw.link.sever();
    const ready = (await eventually(async () => {
      const found = await nodeReady();
      return found?.status === 'Unknown' && found;
    })) as Record<string, any>;
    assert.match(ready.message, /^Gateway unreachable since \d{4}-\d\d-\d\dT[\d:.]+Z: MQTT session dropped$/);

    const nodes = await fleet.table('/api/v1/nodes');
    const lastSeen = nodes.columns.indexOf('Last-Seen');
    assert.ok(lastSeen > 0, nodes.columns.join(','));
    assert.match(String(nodes.rows.get(node)?.[lastSeen]), /^\d+s$/);
    // `kubectl get nodes -w` prints the same column.
    const watched = await fleet.api.send('GET', '/api/v1/nodes?watch=1&timeoutSeconds=1', undefined, {
      Accept: tableAccept,
    });
    const [added] = watched.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(added.type, 'ADDED');
    assert.match(String(added.object.rows[0].cells[lastSeen]), /^\d+s$/);

    const marked = (await eventually(async () => {
      const pod = await fleet.pod('stays');
      return condition(pod, 'Ready')?.reason === 'NodeUnreachable' && pod;
    })) as TestObject;
    assert.equal(condition(marked, 'Ready')?.status, 'False');
    assert.equal(condition(marked, 'ContainersReady')?.reason, 'NodeUnreachable');
    assert.match(
      condition(marked, 'Ready')?.message,
      /^Gateway gw-a unreachable since .*; status as last reported at /,
    );
    const pods = await fleet.table('/api/v1/namespaces/default/pods');
    const status = pods.columns.indexOf('Status');
    // STATUS stays one word; how old it is is the gateway's LAST-SEEN, as for its Node.
    assert.equal(pods.rows.get('stays')?.[status], 'Running');
    assert.match(String(pods.rows.get('stays')?.[pods.columns.indexOf('Last-Seen')]), /^\d+s$/);

    gw.link.restore();
    // The gateway reports again: its statuses replace the mark, unchanged pods included.
    await readyPod('stays');
    const live = await fleet.table('/api/v1/namespaces/default/pods');
    assert.equal(live.rows.get('stays')?.[status], 'Running');
    assert.equal((await nodeReady())?.status, 'True');
  });

  it("delivers what changed offline after the hub's mark, which counts as no newer observation", async () => {
    gw.link.sever();
    await eventually(async () => condition(await fleet.pod('stays'), 'Ready')?.reason === 'NodeUnreachable');
    const app = (await gw.runtime.listContainers()).find(
      (c) => c.state === 'RUNNING' && c.labels['io.kubernetes.pod.name'] === 'stays',
    );
    assert.ok(app, 'the pod runs on the gateway');
    const crashedAt = Date.now();
    gw.runtime.exitContainer(app.id, 1);
    // The agent restarts the container on its own, and queues the status it observed.
    await eventually(async () => {
      const again = (await gw.runtime.listContainers()).filter(
        (c) => c.state === 'RUNNING' && c.labels['io.kubernetes.pod.name'] === 'stays',
      );
      return again.length === 1 && again[0]?.id !== app.id;
    });
    assert.ok(gw.agent.outbox.size > 0, 'statuses wait in the outbox');

    gw.link.restore();
    const pod = (await eventually(async () => {
      const found = await readyPod('stays');
      return found.status.containerStatuses?.[0]?.restartCount === 1 && found;
    })) as TestObject;
    const observed = Date.parse(condition(pod, 'flotilla.io/StatusObserved')?.lastProbeTime);
    assert.ok(observed >= crashedAt, 'the observation made offline was stored');
  });

  it('starts a held replace-after pod again when the hub, down the whole time, did not replace it', async () => {
    await create(boundPod('moves', 'replace-after=2s'));
    await readyPod('moves');
    const startHub = await fleet.stopHub();
    await eventually(async () => !(await fleet.runningOn(node)).includes('moves'), { timeoutMs: 10_000 });
    await startHub();
    await eventually(async () => (await fleet.runningOn(node)).includes('moves'), { timeoutMs: 15_000 });
    const pod = await readyPod('moves');
    assert.equal(pod.metadata.deletionTimestamp, undefined);
  });
});
