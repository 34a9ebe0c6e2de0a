// Offline-autonomy chaos on real components (issue 6 §4, scenario 4): a Deployment whose pods
// say `flotilla.io/disconnect: replace-after=20s`, on two real gateways. The gateway running the
// pod loses its uplink: the hub evicts the pod and a copy starts on the other gateway; the cut-off
// gateway stops its own copy by itself; when its link returns exactly one copy runs in the fleet.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { reportChaos } from '../../helpers/chaos-report.js';
import { eventually } from '../../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../../helpers/hub-process.js';
import { Kubectl } from '../../helpers/kubectl.js';
import { type NetnsAgent, startNetnsAgent } from '../../helpers/netns-agent.js';
import {
  skipUnlessRuntimeHost,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../../helpers/test-gateway-runtime.js';

const run = promisify(execFile);

function deployment(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: mover, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: mover}}
  template:
    metadata:
      labels: {app: mover}
      annotations: {flotilla.io/disconnect: replace-after=20s}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: main
          image: ${image}
          command: [sh, -c, 'exec sleep 36000']
`;
}

describe('offline autonomy on real gateways: replace-after moves a pod and leaves one copy', function () {
  this.timeout(400_000);
  let hub: HubProcess;
  let kubectl: Kubectl;
  const nodes = ['chaos-r1', 'chaos-r2'];
  const gateways = new Map<string, TestGatewayRuntime>();
  const agents: NetnsAgent[] = [];

  /** `mover` containers running on a gateway, by the runtime's own account. */
  const copiesOn = async (node: string): Promise<number> => {
    const cri = gateways.get(node)!.cri;
    const sandboxes = (await cri.listPodSandboxes()).filter(
      (s) => s.state === 'READY' && s.metadata.name.startsWith('mover-'),
    );
    const containers = await cri.listContainers();
    return sandboxes.filter((s) => containers.some((c) => c.podSandboxId === s.id && c.state === 'RUNNING'))
      .length;
  };
  const moverPods = async (): Promise<any[]> =>
    JSON.parse(await kubectl.ok(['get', 'pods', '-l', 'app=mover', '-o', 'json'])).items;

  before(async function () {
    skipUnlessRuntimeHost(this);
    hub = await startHubProcess(undefined, ['--bind', '0.0.0.0']);
    kubectl = new Kubectl(hub.kubeconfig);
    for (const node of nodes) {
      const gw = await startTestGatewayRuntime(node);
      gateways.set(node, gw);
      agents.push(await startNetnsAgent(hub, gw, node));
    }
    await eventually(
      async () => {
        const list = JSON.parse(await kubectl.ok(['get', 'nodes', '-o', 'json'])).items;
        return (
          list.filter((n: any) =>
            n.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
          ).length === nodes.length
        );
      },
      { timeoutMs: 40_000, intervalMs: 250 },
    );
  });

  after(async () => {
    for (const gw of gateways.values()) {
      await run('ip', ['-n', gw.gateway.netnsName, 'link', 'set', 'eth0', 'up']).catch(() => {});
    }
    for (const agent of agents) await agent.remove().catch(() => {});
    for (const gw of gateways.values()) await gw.teardown().catch(() => {});
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  it('replaces the pod of a cut-off gateway elsewhere, and only one copy remains after the link returns', async () => {
    await kubectl.ok(['apply', '-f', '-'], deployment(gateways.get(nodes[0]!)!.busyboxImage));
    const first = await eventually(
      async () => {
        const [pod] = await moverPods();
        const ready = pod?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
        return ready ? pod : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const origin: string = first.spec.nodeName;
    const other = nodes.find((n) => n !== origin)!;
    const cutGateway = gateways.get(origin)!;

    await run('ip', ['-n', cutGateway.gateway.netnsName, 'link', 'set', 'eth0', 'down']);
    const cut = Date.now();
    // The hub evicts after 20 s of unreachability; the copy starts on the reachable gateway.
    await eventually(async () => (await copiesOn(other)) === 1, { timeoutMs: 150_000, intervalMs: 1_000 });
    const replacedAfter = (Date.now() - cut) / 1000;
    // The cut-off gateway stops its own copy by itself (after its own 20 s without the hub).
    await eventually(async () => (await copiesOn(origin)) === 0, { timeoutMs: 150_000, intervalMs: 1_000 });

    await run('ip', ['-n', cutGateway.gateway.netnsName, 'link', 'set', 'eth0', 'up']);
    const restored = Date.now();
    const pods = await eventually(
      async () => {
        const items = await moverPods();
        const live = items.filter((p) => !p.metadata.deletionTimestamp);
        return items.length === 1 && live[0]?.spec.nodeName === other ? items : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    ).catch(async (err) => {
      throw new Error(
        `${(err as Error).message}\n${JSON.stringify((await moverPods()).map((p) => [p.metadata.name, p.spec.nodeName, p.metadata.deletionTimestamp]))}`,
      );
    });
    const settled = (Date.now() - restored) / 1000;
    assert.equal(pods!.length, 1);
    // Some time after: still exactly one copy, on the other gateway, nothing came back.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    assert.equal(await copiesOn(origin), 0, 'the old copy stays stopped');
    assert.equal(await copiesOn(other), 1, 'the replacement runs');
    const restarts = pods![0].status?.containerStatuses?.[0]?.restartCount ?? 0;
    reportChaos({
      scenario: `replace-after=20s: copy running elsewhere after ${replacedAfter.toFixed(0)} s cut off; one copy`,
      recovered: (await copiesOn(origin)) + (await copiesOn(other)),
      total: 1,
      restartsCaused: restarts,
      secondsToRecover: settled,
    });
  });
});
