import assert from 'node:assert/strict';
import { NodeLifecycleController } from '../../../hub/controllers/node-lifecycle/node-lifecycle-controller.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import {
  FakeClock,
  type Harness,
  modify,
  node,
  startControllers,
  until,
} from '../controllers/controller-harness.js';

const podsPath = '/api/v1/namespaces/default/pods';
const leasesPath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const iso = (d: Date) => d.toISOString();

describe('marks on the pods of an unreachable gateway (node lifecycle controller, fake clock)', () => {
  let t: TestHub;
  let h: Harness;
  let clock: FakeClock;

  before(async () => {
    t = await startTestHub();
    clock = new FakeClock(new Date('2026-02-01T08:00:00Z'));
    h = startControllers(
      t,
      [
        (ctx) =>
          new NodeLifecycleController(ctx, {
            nodeMonitorGracePeriodMs: 40_000,
            nodeMonitorPeriodMs: 20,
            podUnmarkDelayMs: 10_000,
          }),
      ],
      clock,
    );
  });
  after(async () => {
    h.stop();
    await t.close();
  });

  const pod = async (name: string) => (await t.api.get(`${podsPath}/${name}`)).json();
  const ready = async (name: string) =>
    (await pod(name)).status.conditions.find((c: { type: string }) => c.type === 'Ready');
  /** A status as the gateway reports it, stamped with when it was observed. */
  const report = (name: string, containerReady: boolean, observedAt: Date) =>
    modify(t, `${podsPath}/${name}`, (p) => {
      const at = iso(observedAt);
      const condition = (type: string) => ({
        type,
        status: containerReady ? 'True' : 'False',
        lastTransitionTime: at,
      });
      p.status = {
        phase: 'Running',
        conditions: [
          condition('Ready'),
          condition('ContainersReady'),
          { type: 'flotilla.io/StatusObserved', status: 'True', lastProbeTime: at, lastTransitionTime: at },
        ],
        containerStatuses: [
          { name: 'app', ready: containerReady, restartCount: 0, image: 'app:1', imageID: '' },
        ],
      };
    });
  const setReady = (status: string, message: string) =>
    modify(t, '/api/v1/nodes/gw-m', (n) => {
      n.status = {
        conditions: [
          {
            type: 'Ready',
            status,
            reason: status === 'True' ? 'KubeletReady' : 'NodeStatusUnknown',
            message,
            lastHeartbeatTime: iso(clock.now()),
            lastTransitionTime: iso(clock.now()),
          },
        ],
      };
    });

  it('marks the pods when the gateway goes silent and takes the mark back from the last report later', async () => {
    await t.api.post('/api/v1/nodes', node('gw-m'));
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'gw-m' },
      spec: { holderIdentity: 'gw-m', leaseDurationSeconds: 40, renewTime: iso(clock.now()) },
    };
    assert.equal((await t.api.post(leasesPath, lease)).status, 201);
    await setReady('True', 'ready');
    for (const name of ['quiet', 'chatty']) {
      const res = await t.api.post(podsPath, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { nodeName: 'gw-m', containers: [{ name: 'app', image: 'app:1' }] },
      });
      assert.equal(res.status, 201, res.text);
      await report(name, true, clock.now());
    }
    const reportedAt = iso(clock.now());

    // The Lease stops renewing (the session may well be up: the agent does not know).
    clock.advance(41_000);
    await until(async () => assert.equal((await ready('quiet')).reason, 'NodeUnreachable'));
    const marked = await ready('quiet');
    assert.equal(marked.status, 'False');
    assert.match(marked.message, new RegExp(`status as last reported at ${reportedAt}$`));
    const gateway = (await t.api.get('/api/v1/nodes/gw-m')).json();
    const nodeReady = gateway.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    assert.equal(
      nodeReady.message,
      'Gateway unreachable since 2026-02-01T08:00:00Z: no heartbeat for more than 40s',
    );

    // Heard again: one pod reports on its own (unready now), the other has nothing new to say.
    await setReady('True', 'back');
    clock.advance(1_000);
    await report('chatty', false, clock.now());
    // The gateway gets its chance first: the hub takes back what is left only 10 s later.
    clock.advance(10_000);
    await until(async () => assert.equal((await ready('quiet')).status, 'True'));
    const quiet = await pod('quiet');
    assert.equal(
      quiet.status.conditions.find((c: { type: string }) => c.type === 'ContainersReady').status,
      'True',
    );
    assert.equal(
      quiet.status.conditions.find((c: { type: string }) => c.type === 'flotilla.io/StatusObserved')
        .lastProbeTime,
      reportedAt,
      'taking the mark back is no observation either',
    );
    const chatty = await ready('chatty');
    assert.deepEqual([chatty.status, chatty.reason], ['False', undefined], "the gateway's own report stands");
  });
});
