import assert from 'node:assert/strict';
import { NodeLifecycleController } from '../../../hub/controllers/node-lifecycle/node-lifecycle-controller.js';
import { PodGCController } from '../../../hub/controllers/node-lifecycle/pod-gc-controller.js';
import { TaintEvictionController } from '../../../hub/controllers/node-lifecycle/taint-eviction-controller.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { FakeClock, modify, node, startControllers, until } from './controller-harness.js';

const leasesPath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const podsPath = '/api/v1/namespaces/default/pods';
const kubeTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const boundPod = (name: string, nodeName: string, tolerations?: unknown[]) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { nodeName, containers: [{ name: 'c', image: 'app:1' }], ...(tolerations ? { tolerations } : {}) },
});

describe('Node lifecycle, taint eviction and pod GC (real hub, fake clock)', () => {
  let t: TestHub;
  let h: ReturnType<typeof startControllers>;
  let clock: FakeClock;
  before(async () => {
    t = await startTestHub();
    clock = new FakeClock(new Date());
    h = startControllers(
      t,
      [
        (ctx) =>
          new NodeLifecycleController(ctx, { nodeMonitorGracePeriodMs: 40_000, nodeMonitorPeriodMs: 20 }),
        (ctx) => new TaintEvictionController(ctx),
        (ctx) => new PodGCController(ctx),
      ],
      clock,
    );
  });
  after(async () => {
    h.stop();
    await t.close();
  });

  const getNode = async (name: string) => (await t.api.get(`/api/v1/nodes/${name}`)).json();
  const ready = async (name: string) =>
    (await getNode(name)).status.conditions.find((c: any) => c.type === 'Ready');
  const taintsOf = async (name: string) =>
    ((await getNode(name)).spec.taints ?? []).map((x: any) => `${x.key}:${x.effect}`).sort();
  const setReady = (name: string, status: string, message = 'kubelet is posting ready status') =>
    modify(t, `/api/v1/nodes/${name}`, (n) => {
      n.status = {
        conditions: [
          {
            type: 'Ready',
            status,
            reason: 'KubeletReady',
            message,
            lastHeartbeatTime: kubeTime(clock.now()),
            lastTransitionTime: kubeTime(clock.now()),
          },
        ],
      };
    });
  const renew = (name: string) =>
    modify(t, `${leasesPath}/${name}`, (lease) => {
      lease.spec.renewTime = clock.now().toISOString().replace('Z', '000Z');
    });

  it('marks a silent gateway Unknown and unreachable after the grace period, and clears it on return', async () => {
    await t.api.post('/api/v1/nodes', node('gw-1'));
    await setReady('gw-1', 'True');
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'gw-1' },
      spec: { holderIdentity: 'gw-1', leaseDurationSeconds: 40, renewTime: clock.now().toISOString() },
    };
    assert.equal((await t.api.post(leasesPath, lease)).status, 201);
    clock.advance(30_000);
    await renew('gw-1');
    clock.advance(30_000);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await ready('gw-1')).status, 'True');
    assert.deepEqual(await taintsOf('gw-1'), []);

    clock.advance(15_000);
    await until(async () => assert.equal((await ready('gw-1')).status, 'Unknown'));
    const condition = await ready('gw-1');
    assert.equal(condition.reason, 'NodeStatusUnknown');
    assert.match(condition.message, /^Gateway unreachable since \S+Z: no heartbeat for more than 40s$/);
    await until(async () =>
      assert.deepEqual(await taintsOf('gw-1'), [
        'node.kubernetes.io/unreachable:NoExecute',
        'node.kubernetes.io/unreachable:NoSchedule',
      ]),
    );
    const noExecute = (await getNode('gw-1')).spec.taints.find((x: any) => x.effect === 'NoExecute');
    assert.equal(noExecute.timeAdded, kubeTime(clock.now()));

    await setReady('gw-1', 'True');
    await until(async () => assert.deepEqual(await taintsOf('gw-1'), []));
  });

  it("keeps the MQTT layer's Unknown message and taints not-ready nodes too", async () => {
    await t.api.post('/api/v1/nodes', node('gw-2'));
    await setReady('gw-2', 'Unknown', 'MQTT session of the gateway was lost');
    await until(async () =>
      assert.ok((await taintsOf('gw-2')).includes('node.kubernetes.io/unreachable:NoExecute')),
    );
    assert.equal((await ready('gw-2')).message, 'MQTT session of the gateway was lost');
    await setReady('gw-2', 'False');
    await until(async () =>
      assert.deepEqual(await taintsOf('gw-2'), [
        'node.kubernetes.io/not-ready:NoExecute',
        'node.kubernetes.io/not-ready:NoSchedule',
      ]),
    );
  });

  it('keeps pods on an unreachable gateway by default, and evicts those that set tolerationSeconds', async () => {
    await t.api.post('/api/v1/nodes', node('gw-3'));
    await setReady('gw-3', 'True');
    const stay = (await t.api.post(podsPath, boundPod('stays', 'gw-3'))).json();
    assert.deepEqual(
      stay.spec.tolerations.map((x: any) => [x.key, x.operator, x.effect, x.tolerationSeconds]),
      [
        ['node.kubernetes.io/not-ready', 'Exists', 'NoExecute', undefined],
        ['node.kubernetes.io/unreachable', 'Exists', 'NoExecute', undefined],
      ],
    );
    const leaving = [
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 5,
      },
    ];
    const leave = (await t.api.post(podsPath, boundPod('leaves', 'gw-3', leaving))).json();
    assert.equal(leave.spec.tolerations.length, 2, 'only not-ready is added');

    await setReady('gw-3', 'Unknown', 'MQTT session of the gateway was lost');
    await until(async () =>
      assert.ok((await taintsOf('gw-3')).includes('node.kubernetes.io/unreachable:NoExecute')),
    );
    clock.advance(3_000);
    await t.api.post(podsPath, boundPod('nudge', 'gw-3'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await t.api.get(`${podsPath}/leaves`)).json().metadata.deletionTimestamp, undefined);
    clock.advance(3_000);
    await until(
      async () => assert.ok((await t.api.get(`${podsPath}/leaves`)).json().metadata.deletionTimestamp),
      { timeoutMs: 5000 },
    );
    const evicted = (await t.api.get(`${podsPath}/leaves`)).json();
    assert.equal(
      evicted.status.conditions.find((c: any) => c.type === 'DisruptionTarget').reason,
      'DeletionByTaintManager',
    );
    assert.equal((await t.api.get(`${podsPath}/stays`)).json().metadata.deletionTimestamp, undefined);
  });

  it('deletes the pods of a deleted node, terminating ones included', async () => {
    await t.api.delete('/api/v1/nodes/gw-3');
    await until(async () => {
      for (const name of ['stays', 'leaves', 'nudge'])
        assert.equal((await t.api.get(`${podsPath}/${name}`)).status, 404);
    });
  });

  it('deletes pods bound to a node that never existed after the 40 s quarantine, and their namespace goes', async () => {
    const podGC = h.controllers.find((c) => c.name === 'pod-gc') as PodGCController;
    const nsPods = '/api/v1/namespaces/plant-7/pods';
    await t.api.post('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'plant-7' },
    });
    assert.equal((await t.api.post(nsPods, boundPod('ghost-a', 'gw-never'))).status, 201);
    assert.equal((await t.api.post(podsPath, boundPod('ghost-b', 'gw-never'))).status, 201);
    await t.api.delete('/api/v1/namespaces/plant-7');
    await until(async () =>
      assert.ok((await t.api.get(`${nsPods}/ghost-a`)).json().metadata.deletionTimestamp),
    );

    // Within the quarantine a node of that name may still be on its way: nothing is deleted.
    clock.advance(39_000);
    await podGC.reconcile('gw-never');
    assert.equal((await t.api.get(`${podsPath}/ghost-b`)).status, 200);
    assert.equal((await t.api.get('/api/v1/namespaces/plant-7')).json().status.phase, 'Terminating');

    clock.advance(2_000);
    await podGC.reconcile('gw-never');
    await until(async () => {
      assert.equal((await t.api.get(`${podsPath}/ghost-b`)).status, 404);
      assert.equal((await t.api.get(`${nsPods}/ghost-a`)).status, 404);
      assert.equal((await t.api.get('/api/v1/namespaces/plant-7')).status, 404);
    });
    assert.ok(
      h.logs.some(
        (line) =>
          line === 'controller-manager/pod-gc: deleted pod default/ghost-b: node gw-never does not exist',
      ),
    );
  });

  it('keeps pods bound to a node name that appears within the quarantine', async () => {
    const podGC = h.controllers.find((c) => c.name === 'pod-gc') as PodGCController;
    assert.equal((await t.api.post(podsPath, boundPod('early', 'gw-late'))).status, 201);
    await podGC.reconcile('gw-late');
    clock.advance(20_000);
    await t.api.post('/api/v1/nodes', node('gw-late'));
    await until(async () => assert.equal((await t.api.get('/api/v1/nodes/gw-late')).status, 200));
    clock.advance(60_000);
    await podGC.reconcile('gw-late');
    assert.equal((await t.api.get(`${podsPath}/early`)).json().metadata.deletionTimestamp, undefined);
  });
});
