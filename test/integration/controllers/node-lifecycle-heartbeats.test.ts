import assert from 'node:assert/strict';
import { NodeLifecycleController } from '../../../hub/controllers/node-lifecycle/node-lifecycle-controller.js';
import { NodeHeartbeats } from '../../../hub/node-heartbeats.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { FakeClock, modify, node, startControllers, until } from './controller-harness.js';

const leasesPath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const kubeTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('Node lifecycle with heartbeats kept in memory (real hub, fake clock)', () => {
  let t: TestHub;
  let clock: FakeClock;
  let book: NodeHeartbeats;
  let h: ReturnType<typeof startControllers>;
  let controller: NodeLifecycleController;
  before(async () => {
    t = await startTestHub();
    clock = new FakeClock(new Date());
    book = new NodeHeartbeats();
    h = startControllers(
      t,
      [
        (ctx) =>
          new NodeLifecycleController(ctx, {
            nodeMonitorGracePeriodMs: 40_000,
            nodeMonitorPeriodMs: 3_600_000,
          }),
      ],
      clock,
    );
    h.ctx.heartbeats = book;
    controller = h.controllers[0] as NodeLifecycleController;
  });
  after(async () => {
    h.stop();
    await t.close();
  });

  const ready = async (name: string) =>
    (await t.api.get(`/api/v1/nodes/${name}`)).json().status.conditions.find((c: any) => c.type === 'Ready');
  const aGateway = async (name: string) => {
    await t.api.post('/api/v1/nodes', node(name));
    await modify(t, `/api/v1/nodes/${name}`, (n) => {
      const at = kubeTime(clock.now());
      n.status = {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            lastHeartbeatTime: at,
            lastTransitionTime: at,
          },
        ],
      };
    });
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: clock.now().toISOString() },
    };
    assert.equal((await t.api.post(leasesPath, lease)).status, 201);
    await until(() =>
      assert.ok(
        h.ctx.informers
          .for({ group: 'coordination.k8s.io', resource: 'leases' })
          .get(`kube-node-lease/${name}`),
      ),
    );
  };

  it('keeps a gateway Ready on heartbeats that reached memory only, and marks a silent one Unknown', async () => {
    await aGateway('gw-mem');
    await aGateway('gw-quiet');
    for (let i = 0; i < 4; i++) {
      await controller.reconcile('gw-mem');
      await controller.reconcile('gw-quiet');
      clock.advance(20_000);
      book.record('gw-mem', clock.now().getTime());
    }
    await controller.reconcile('gw-mem');
    await controller.reconcile('gw-quiet');
    assert.equal((await ready('gw-quiet')).status, 'Unknown');
    assert.equal((await ready('gw-mem')).status, 'True');
  });

  it('gives every gateway a full grace period after a hub start, whatever its stored Lease says', async () => {
    await aGateway('gw-restart');
    // The stored Lease is 35 s old: the renewals since were in the memory of the hub that stopped.
    clock.advance(35_000);
    const fresh = new NodeLifecycleController(h.ctx, { nodeMonitorGracePeriodMs: 40_000 });
    await fresh.reconcile('gw-restart');
    clock.advance(39_000);
    await fresh.reconcile('gw-restart');
    assert.equal((await ready('gw-restart')).status, 'True');
    clock.advance(2_000);
    await fresh.reconcile('gw-restart');
    assert.equal((await ready('gw-restart')).status, 'Unknown');
  });

  it('gives a gateway not heard from since the hub started the startup grace period instead', async () => {
    await aGateway('gw-late');
    await aGateway('gw-back');
    const fresh = new NodeLifecycleController(h.ctx, {
      nodeMonitorGracePeriodMs: 40_000,
      nodeStartupGracePeriodMs: 120_000,
    });
    await fresh.reconcile('gw-late');
    await fresh.reconcile('gw-back');
    // gw-back is heard again after the start: from then on the ordinary grace period counts.
    clock.advance(10_000);
    book.record('gw-back', clock.now().getTime());
    await fresh.reconcile('gw-back');
    clock.advance(100_000);
    await fresh.reconcile('gw-late');
    await fresh.reconcile('gw-back');
    assert.equal((await ready('gw-late')).status, 'True', 'still within the startup grace period');
    assert.equal((await ready('gw-back')).status, 'Unknown', 'silent for 100 s after it was heard');
    clock.advance(11_000);
    await fresh.reconcile('gw-late');
    assert.equal((await ready('gw-late')).status, 'Unknown');
  });
});
