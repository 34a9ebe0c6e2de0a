import assert from 'node:assert/strict';
import { systemClock } from '../../../api/clock.js';
import { silentLogger } from '../../../api/logger.js';
import { SharedInformers } from '../../../hub/client/shared-informers.js';
import type { ControllerContext } from '../../../hub/controllers/runtime/controller.js';
import { Scheduler } from '../../../hub/scheduler/scheduler.js';
import { eventually } from '../../helpers/eventually.js';
import { aLabelledPod, aReadyNode, requesting } from '../../helpers/scheduler-builders.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const pods = '/api/v1/namespaces/default/pods';

describe('Scheduler against a real hub', function () {
  this.timeout(30_000);
  let t: TestHub;
  let informers: SharedInformers;
  let scheduler: Scheduler;

  /** Registers a node, then reports it Ready with its allocatable, as an edge agent would. */
  async function addNode(name: string, cpu: string, labels: Record<string, string> = {}): Promise<void> {
    const node = aReadyNode(name, { cpu, labels });
    const { status, ...registration } = node;
    const created = await t.api.post('/api/v1/nodes', registration);
    assert.equal(created.status, 201, created.text);
    const reported = await t.api.put(`/api/v1/nodes/${name}/status`, { ...created.json(), status });
    assert.equal(reported.status, 200, reported.text);
  }

  async function createPod(pod: object): Promise<void> {
    const res = await t.api.post(pods, pod);
    assert.equal(res.status, 201, res.text);
  }

  async function getPod(name: string): Promise<any> {
    return (await t.api.get(`${pods}/${name}`)).json();
  }

  async function eventsFor(name: string): Promise<any[]> {
    const list = (await t.api.get('/api/v1/namespaces/default/events')).json();
    return list.items.filter((e: any) => e.involvedObject.name === name);
  }

  beforeEach(async () => {
    t = await startTestHub();
    informers = new SharedInformers(t.hub.registry.store);
    const ctx: ControllerContext = {
      registry: t.hub.registry,
      informers,
      clock: systemClock,
      log: silentLogger,
    };
    // Back-off long enough that every retry in these tests must come from a cluster change.
    scheduler = new Scheduler(ctx, { initialBackoffMs: 60_000 });
    scheduler.start();
  });

  afterEach(async () => {
    scheduler.stop();
    informers.stop();
    await t.close();
  });

  it('binds pending pods to nodes with room, and says so in Scheduled events', async () => {
    await addNode('gw-1', '2');
    await addNode('gw-2', '2');
    for (const name of ['a', 'b', 'c', 'd']) await createPod(requesting(aLabelledPod(name), { cpu: '1' }));
    const placed = await eventually(async () => {
      const nodes = await Promise.all(['a', 'b', 'c', 'd'].map(async (n) => (await getPod(n)).spec.nodeName));
      assert.ok(nodes.every(Boolean));
      return nodes;
    });
    assert.deepEqual([...placed].sort(), ['gw-1', 'gw-1', 'gw-2', 'gw-2']);
    const pod = await getPod('a');
    assert.equal(pod.status.conditions.find((c: any) => c.type === 'PodScheduled').status, 'True');
    const [event] = await eventually(async () => {
      const events = await eventsFor('a');
      assert.ok(events.length > 0);
      return events;
    });
    assert.equal(event.reason, 'Scheduled');
    assert.equal(event.type, 'Normal');
    assert.equal(event.message, `Successfully assigned default/a to ${pod.spec.nodeName}`);
    assert.equal(event.source.component, 'default-scheduler');
  });

  it('marks a pod that fits nowhere Unschedulable, then binds it when a big enough node appears', async () => {
    await addNode('gw-1', '1');
    await addNode('gw-2', '1');
    await createPod(requesting(aLabelledPod('big'), { cpu: '3' }));
    const message = '0/2 nodes are available: 2 Insufficient cpu.';
    const condition = await eventually(async () => {
      const pod = await getPod('big');
      return pod.status.conditions?.find((c: any) => c.type === 'PodScheduled' && c.status === 'False');
    });
    assert.equal(condition.reason, 'Unschedulable');
    assert.equal(condition.message, message);
    const [event] = await eventually(async () => {
      const events = (await eventsFor('big')).filter((e) => e.reason === 'FailedScheduling');
      assert.ok(events.length > 0);
      return events;
    });
    assert.equal(event.type, 'Warning');
    assert.equal(event.message, message);
    assert.equal(event.involvedObject.kind, 'Pod');
    assert.equal(event.source.component, 'default-scheduler');
    assert.ok(event.firstTimestamp && event.lastTimestamp);

    // A node change retries the pod; the same event again bumps its count, no second one appears.
    const node = (await t.api.get('/api/v1/nodes/gw-1')).json();
    node.metadata.labels.rack = 'r1';
    assert.equal((await t.api.put('/api/v1/nodes/gw-1', node)).status, 200);
    await eventually(async () => {
      const events = (await eventsFor('big')).filter((e) => e.reason === 'FailedScheduling');
      assert.equal(events.length, 1);
      return events[0].count >= 2;
    });

    await addNode('gw-big', '4');
    const bound = await eventually(async () => (await getPod('big')).spec.nodeName);
    assert.equal(bound, 'gw-big');
  });

  it('schedules a pod left Pending by the unreachable taint as soon as the taint is removed', async () => {
    await addNode('gw-away', '2');
    const tainted = (await t.api.get('/api/v1/nodes/gw-away')).json();
    tainted.spec.taints = [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: new Date().toISOString() },
    ];
    assert.equal((await t.api.put('/api/v1/nodes/gw-away', tainted)).status, 200);
    await createPod(aLabelledPod('waiting'));
    const condition = await eventually(async () =>
      (await getPod('waiting')).status.conditions?.find((c: any) => c.type === 'PodScheduled'),
    );
    assert.equal(condition.reason, 'Unschedulable');
    assert.match(condition.message, /untolerated taint.*node\.kubernetes\.io\/unreachable/);

    // The gateway is heard again: the node lifecycle controller removes the taint.
    const back = (await t.api.get('/api/v1/nodes/gw-away')).json();
    delete back.spec.taints;
    assert.equal((await t.api.put('/api/v1/nodes/gw-away', back)).status, 200);
    const bound = await eventually(async () => (await getPod('waiting')).spec.nodeName);
    assert.equal(bound, 'gw-away');
  });

  it('leaves alone pods for another scheduler and pods already bound', async () => {
    await addNode('gw-1', '2');
    const custom = aLabelledPod('custom');
    custom.spec.schedulerName = 'other-scheduler';
    await createPod(custom);
    const pinned = aLabelledPod('pinned');
    pinned.spec.nodeName = 'gw-elsewhere';
    await createPod(pinned);
    await createPod(aLabelledPod('normal'));
    await eventually(async () => (await getPod('normal')).spec.nodeName === 'gw-1');
    await scheduler.idle();
    assert.equal((await getPod('custom')).spec.nodeName, undefined);
    assert.equal((await getPod('pinned')).spec.nodeName, 'gw-elsewhere');
    assert.deepEqual(await eventsFor('custom'), []);
  });

  it('retries a pod waiting for an affine pod once that pod is placed', async () => {
    await addNode('gw-1', '2', { 'topology.kubernetes.io/zone': 'z1' });
    const web = aLabelledPod('web', { app: 'web' });
    web.spec.affinity = {
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'topology.kubernetes.io/zone' },
        ],
      },
    };
    await createPod(web);
    const condition = await eventually(async () =>
      (await getPod('web')).status.conditions?.find((c: any) => c.reason === 'Unschedulable'),
    );
    assert.equal(condition.message, "0/1 nodes are available: 1 node(s) didn't match pod affinity rules.");
    await createPod(aLabelledPod('cache', { app: 'cache' }));
    await eventually(async () => (await getPod('web')).spec.nodeName === 'gw-1');
  });

  it('schedules a waiting pod as soon as a bound pod is deleted and frees room', async () => {
    await addNode('gw-1', '2');
    await createPod(requesting(aLabelledPod('first'), { cpu: '2' }));
    await eventually(async () => (await getPod('first')).spec.nodeName === 'gw-1');
    await createPod(requesting(aLabelledPod('second'), { cpu: '2' }));
    await eventually(async () =>
      (await getPod('second')).status.conditions?.some((c: any) => c.status === 'False'),
    );
    // A bound pod lingers until its agent confirms; grace period 0 stands in for the agent.
    const res = await t.api.delete(`${pods}/first`, { gracePeriodSeconds: 0 });
    assert.equal(res.status, 200, res.text);
    await eventually(async () => (await getPod('second')).spec.nodeName === 'gw-1');
  });
});
