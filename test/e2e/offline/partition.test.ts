// Offline-autonomy chaos on real components (issue 6 §4, scenario 2): the gateway's uplink
// drops for more than two minutes while one of its containers crashes. The crash is restarted
// on the gateway and counted once, nothing else restarts, and the statuses produced during the
// partition reach the hub after the link returns, the newest one last.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { reportChaos } from '../../helpers/chaos-report.js';
import { eventually } from '../../helpers/eventually.js';
import { skipUnlessRuntimeHost } from '../../helpers/test-gateway-runtime.js';
import { containerIds, GatewayChaosHarness } from './gateway-chaos-harness.js';

const run = promisify(execFile);
const partitionMs = Number(process.env.FLOTILLA_PARTITION_MS ?? 125_000);

function workload(image: string, flagDir: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: crashy, namespace: default}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: ${image}
      # Crashes (exit 3) once the test drops a flag file in, then runs on after its restart.
      command: [sh, -c, 'while [ ! -f /flags/crash ]; do sleep 0.2; done; rm /flags/crash; echo crashing; exit 3']
      volumeMounts: [{name: flags, mountPath: /flags}]
  volumes: [{name: flags, hostPath: {path: ${flagDir}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: steady, namespace: default}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: ${image}
      command: [sh, -c, 'exec sleep 36000']
`;
}

describe('offline autonomy on a real gateway: a long partition with a crash inside it', function () {
  this.timeout(partitionMs + 180_000);
  const h = new GatewayChaosHarness('chaos-p');
  let flagDir: string;

  const link = (state: 'up' | 'down') =>
    run('ip', ['-n', h.gw.gateway.netnsName, 'link', 'set', 'eth0', state]);
  const hubPod = async (name: string) => JSON.parse(await h.kubectl.ok(['get', 'pod', name, '-o', 'json']));
  const restartsOf = (pod: any): number => pod.status?.containerStatuses?.[0]?.restartCount ?? 0;

  before(async function () {
    skipUnlessRuntimeHost(this);
    flagDir = await mkdtemp(join(tmpdir(), 'flotilla-flags-'));
    await h.start();
    await h.kubectl.ok(['apply', '-f', '-'], workload(h.gw.busyboxImage, flagDir));
    await eventually(
      async () => {
        const pods = await h.podsAtHub();
        return pods.size === 2 && [...pods.values()].every((p) => p.ready);
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  });

  after(async () => {
    await link('up').catch(() => {});
    await h.stop();
    await rm(flagDir, { recursive: true, force: true });
  });

  it('restarts the crash locally, once, and delivers the partition statuses in order afterwards', async () => {
    const before = containerIds(await h.runningPods());
    const steadyBefore = before.get('steady');
    await link('down');
    const cut = Date.now();

    // The hub sees the gateway go (Last Will or lease silence) while the gateway runs on.
    await eventually(
      async () => {
        const node = JSON.parse(await h.kubectl.ok(['get', 'node', h.node, '-o', 'json']));
        return node.status.conditions.find((c: any) => c.type === 'Ready')?.status === 'Unknown';
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );

    await writeFile(join(flagDir, 'crash'), 'now');
    const crashedAt = Date.now();
    await eventually(
      async () => {
        const crashy = (await h.runningPods()).get('crashy');
        return crashy !== undefined && crashy.containers[0]!.attempt === 1;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const remaining = partitionMs - (Date.now() - cut);
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
    const during = await h.runningPods();
    assert.equal(during.get('crashy')?.containers[0]?.attempt, 1, 'restarted once, on the gateway, offline');
    assert.deepEqual(
      containerIds(during).get('steady'),
      steadyBefore,
      'the partition restarted nothing else',
    );

    await link('up');
    const restored = Date.now();
    const crashy = await eventually(
      async () => {
        const pod = await hubPod('crashy');
        const ready = pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
        return ready && restartsOf(pod) >= 1 ? pod : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${h.agent.output()}`);
    });
    const recovered = (Date.now() - restored) / 1000;
    assert.equal(restartsOf(crashy), 1, 'the crash is counted once');
    const last = crashy.status.containerStatuses[0].lastState.terminated;
    assert.equal(last.exitCode, 3);
    const finishedAt = Date.parse(last.finishedAt);
    assert.ok(
      finishedAt >= crashedAt - 1_000 && finishedAt < restored,
      'the crash happened during the partition',
    );
    assert.equal(restartsOf(await hubPod('steady')), 0);

    // What the gateway saw while cut off arrives as events stamped with partition times.
    const events = JSON.parse(
      await h.kubectl.ok(['get', 'events', '--field-selector', 'involvedObject.name=crashy', '-o', 'json']),
    ).items as any[];
    const stamped = (e: any) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp);
    const inPartition = events.filter((e) => stamped(e) >= cut && stamped(e) < restored);
    assert.ok(
      inPartition.some((e) => e.reason === 'Started' || e.reason === 'BackOff' || e.reason === 'Created'),
      `events from the partition: ${events.map((e) => `${e.reason}@${e.lastTimestamp}`).join(', ')}`,
    );
    const after = containerIds(await h.runningPods());
    assert.deepEqual(after.get('steady'), steadyBefore, 'reconnecting restarted nothing');
    // The link's history must not keep the agent from stopping (it once hung on SIGTERM here).
    const stopping = Date.now();
    h.agent.child.kill('SIGTERM');
    await eventually(() => h.agent.child.exitCode !== null, { timeoutMs: 15_000 });
    assert.equal(h.agent.child.exitCode, 0, `stopped cleanly in ${Date.now() - stopping} ms`);
    reportChaos({
      scenario: `uplink down ${Math.round(partitionMs / 1000)} s with a crash inside`,
      recovered: after.size,
      total: 2,
      restartsCaused: restartsOf(crashy) - 1,
      secondsToRecover: recovered,
    });
  });
});
