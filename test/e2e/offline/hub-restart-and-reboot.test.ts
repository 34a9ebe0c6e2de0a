// Offline-autonomy chaos on real components (issue 6 §4, scenarios 3 and 1): the hub killed
// with kill -9 and restarted while the gateway runs pods; then the hub stopped and the gateway
// "rebooted" (agent, containerd, shims and containers killed, tmpfs state gone) coming back with
// the hub still down, and finally the hub returning. The gateway's runtime is the witness.
import assert from 'node:assert/strict';
import { reportChaos } from '../../helpers/chaos-report.js';
import { eventually } from '../../helpers/eventually.js';
import { skipUnlessRuntimeHost } from '../../helpers/test-gateway-runtime.js';
import { containerIds, GatewayChaosHarness } from './gateway-chaos-harness.js';

function workload(image: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: {name: line-config, namespace: default}
data: {mode: offline-first}
---
apiVersion: v1
kind: Secret
metadata: {name: line-secret, namespace: default}
stringData: {TOKEN: plc-42}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: line, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: line}}
  template:
    metadata: {labels: {app: line}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: worker
          image: ${image}
          command: [sh, -c, 'exec sleep 36000']
---
apiVersion: v1
kind: Pod
metadata: {name: plc-bridge, namespace: default}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: bridge
      image: ${image}
      command: [sh, -c, 'test "$(cat /config/mode)" = offline-first && test "$TOKEN" = plc-42 && exec sleep 36000']
      env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: line-secret, key: TOKEN}}}]
      volumeMounts: [{name: config, mountPath: /config}]
      readinessProbe: {exec: {command: [cat, /config/mode]}, periodSeconds: 1}
  volumes: [{name: config, configMap: {name: line-config}}]
`;
}

const seconds = (since: number) => (Date.now() - since) / 1000;

describe('offline autonomy on a real gateway: hub kill -9, reboot without the hub', function () {
  this.timeout(300_000);
  const h = new GatewayChaosHarness('chaos-a');
  const total = 3;

  before(async function () {
    skipUnlessRuntimeHost(this);
    await h.start();
    await h.kubectl.ok(['apply', '-f', '-'], workload(h.gw.busyboxImage));
    await eventually(
      async () => {
        const pods = await h.podsAtHub();
        return pods.size === total && [...pods.values()].every((p) => p.ready);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${h.agent.output()}\n${h.hub.output()}`);
    });
  });

  after(() => h.stop());

  it('restarts nothing when the hub is killed with kill -9 and comes back', async () => {
    const before = containerIds(await h.runningPods());
    const hubBefore = await h.podsAtHub();
    assert.equal(before.size, total);
    await h.hub.kill();
    const started = Date.now();
    await h.restartHub();
    await eventually(
      async () => {
        const node = JSON.parse(await h.kubectl.ok(['get', 'node', h.node, '-o', 'json']));
        const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
        const pods = await h.podsAtHub();
        return ready?.status === 'True' && [...pods.values()].every((p) => p.ready);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const recovered = seconds(started);
    const after = containerIds(await h.runningPods());
    const hubAfter = await h.podsAtHub();
    assert.deepEqual(after, before, 'the same containers run: none restarted or recreated');
    let restarts = 0;
    for (const [name, pod] of hubAfter) {
      assert.equal(pod.uid, hubBefore.get(name)?.uid, `${name} is the same pod`);
      restarts += pod.restarts - (hubBefore.get(name)?.restarts ?? 0);
    }
    assert.equal(restarts, 0);
    reportChaos({
      scenario: 'hub kill -9 and restart',
      recovered: after.size,
      total,
      restartsCaused: restarts,
      secondsToRecover: recovered,
    });
  });

  it('brings every pod back from local state after a reboot with the hub down, and rejoins without churn', async () => {
    const uids = new Map([...(await h.runningPods())].map(([name, pod]) => [name, pod.uid]));
    await h.hub.stop();
    await h.agent.kill();
    await h.gw.reboot();
    assert.equal((await h.runningPods()).size, 0, 'the reboot left no container running');

    const booted = Date.now();
    h.agent = await h.agent.restart();
    const back = await eventually(
      async () => {
        const pods = await h.runningPods();
        return pods.size === total ? pods : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${h.agent.output()}`);
    });
    const recovered = seconds(booted);
    for (const [name, pod] of back!)
      assert.equal(pod.uid, uids.get(name), `${name} is the pod the hub bound`);

    // Left alone offline, nothing flaps; the hub's return changes nothing either.
    const settled = containerIds(back!);
    await h.restartHub();
    await eventually(
      async () => {
        const pods = await h.podsAtHub();
        return pods.size === total && [...pods.values()].every((p) => p.ready && p.phase === 'Running');
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const afterRejoin = containerIds(await h.runningPods());
    assert.deepEqual(afterRejoin, settled, 'reconnecting recreated nothing');
    const hubPods = await h.podsAtHub();
    for (const [name, pod] of hubPods)
      assert.equal(pod.uid, uids.get(name), `${name} kept its identity at the hub`);
    reportChaos({
      scenario: 'reboot with the hub down, then the hub back',
      recovered: back!.size,
      total,
      restartsCaused: 0,
      secondsToRecover: recovered,
    });
  });
});
