// The agent's own containerd: survives being killed, coexists with other instances on one
// machine, and leaves nothing behind when purged.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerConfig, SandboxConfig } from '../../edge-agent/runtime/container-runtime.js';
import type { CriRuntime } from '../../edge-agent/runtime/cri-runtime.js';
import { processesWithArg } from '../../edge-agent/runtime/host-processes.js';
import { cgroupMountPoints, mountsUnder } from '../../edge-agent/runtime/instance-cleanup.js';
import { captureLogger } from '../helpers/capture-logger.js';
import { eventually } from '../helpers/eventually.js';
import {
  skipUnlessRuntimeHost,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../helpers/test-gateway-runtime.js';

async function runPod(
  node: TestGatewayRuntime,
  name: string,
): Promise<{ sandboxId: string; containerId: string }> {
  const uid = `${name}-${process.pid}`;
  const sandbox: SandboxConfig = {
    metadata: { name, namespace: 'e2e', uid, attempt: 0 },
    logDirectory: join(node.dataDir, 'logs', uid),
    hostNetwork: false,
    portMappings: [],
    labels: { app: name },
    annotations: {},
    cgroupParent: `${node.cgroupRoot}/pod${uid}`,
  };
  const container: ContainerConfig = {
    name: 'main',
    attempt: 0,
    image: node.busyboxImage,
    command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'],
    args: [],
    envs: [],
    mounts: [],
    labels: {},
    annotations: {},
    logPath: 'main/0.log',
  };
  const sandboxId = await node.cri.runPodSandbox(sandbox);
  const containerId = await node.cri.createContainer(sandboxId, container, sandbox);
  await node.cri.startContainer(containerId);
  return { sandboxId, containerId };
}

/** Everything an instance could leave on the host, as a list of what is still there. */
function leftovers(node: TestGatewayRuntime, sandboxIds: string[]): string[] {
  const found: string[] = [];
  for (const shim of processesWithArg('-address', node.containerd.address)) found.push(`shim ${shim.pid}`);
  for (const daemon of processesWithArg('--config', node.containerd.paths.configFile)) {
    found.push(`containerd ${daemon.pid}`);
  }
  for (const point of mountsUnder(node.dataDir)) found.push(`mount ${point}`);
  for (const point of cgroupMountPoints()) {
    if (existsSync(join(point, node.cgroupRoot))) found.push(`cgroup ${join(point, node.cgroupRoot)}`);
  }
  if (existsSync(node.gateway.netnsPath)) found.push(`netns ${node.gateway.netnsPath}`);
  if (existsSync(`/sys/class/net/${node.gateway.hostVeth}`)) found.push(`veth ${node.gateway.hostVeth}`);
  if (existsSync(node.dataDir)) found.push(`dir ${node.dataDir}`);
  const network = node.containerd.network?.networkName;
  const results = existsSync('/var/lib/cni/results') ? readdirSync('/var/lib/cni/results') : [];
  for (const file of results) {
    if (file.startsWith(`${network}-`) || sandboxIds.some((id) => file.includes(id)))
      found.push(`cni ${file}`);
  }
  return found;
}

async function podStates(cri: CriRuntime, sandboxId: string): Promise<[string?, string?]> {
  const sandbox = await cri.podSandboxStatus(sandboxId);
  const [container] = await cri.listContainers({ podSandboxId: sandboxId });
  return [sandbox?.state, container?.state];
}

describe('ManagedContainerd', function () {
  this.timeout(90_000);

  before(function () {
    skipUnlessRuntimeHost(this);
  });

  describe('when containerd is killed', () => {
    let node: TestGatewayRuntime | undefined;
    const log: string[] = [];
    const sandboxIds: string[] = [];

    after(async () => {
      await node?.teardown();
    });

    it('restarts it, and the pods that kept running are still listed READY and RUNNING', async () => {
      node = await startTestGatewayRuntime('gw-crash', captureLogger(log));
      const pod = await runPod(node, 'survivor');
      sandboxIds.push(pod.sandboxId);
      const firstPid = node.containerd.pid;
      assert.ok(firstPid);

      const killedAt = performance.now();
      process.kill(firstPid, 'SIGKILL');
      await eventually(
        async () => {
          const pid = node!.containerd.pid;
          assert.ok(pid && pid !== firstPid, 'not restarted yet');
          await node!.cri.version();
          return true;
        },
        { timeoutMs: 20_000 },
      );
      const restartMs = performance.now() - killedAt;
      assert.deepEqual(await podStates(node.cri, pod.sandboxId), ['READY', 'RUNNING']);
      console.log(`      containerd killed → restarted and answering: ${restartMs.toFixed(0)} ms`);
      assert.equal(node.containerd.restarts, 1);
      assert.ok(
        log.some((line) => /exited \(signal SIGKILL\).*restarting/.test(line)),
        log.join('\n'),
      );

      // A pod can still be started after the restart.
      const after = await runPod(node, 'after-restart');
      sandboxIds.push(after.sandboxId);
      assert.deepEqual(await podStates(node.cri, after.sandboxId), ['READY', 'RUNNING']);
    });

    it('keeps its output in containerd.log', () => {
      const text = readFileSync(node!.containerd.paths.logFile, 'utf8');
      assert.match(text, /containerd successfully booted/);
    });

    it('leaves nothing behind after purge, shims and cgroups included', async () => {
      assert.ok(node);
      assert.ok(processesWithArg('-address', node.containerd.address).length >= 2, 'expected running shims');
      const started = performance.now();
      await node.teardown();
      console.log(`      purge + netns teardown: ${(performance.now() - started).toFixed(0)} ms`);
      assert.deepEqual(leftovers(node, sandboxIds), []);
    });
  });

  describe('two instances on one machine', () => {
    const nodes: TestGatewayRuntime[] = [];

    after(async () => {
      for (const node of nodes) await node.teardown();
    });

    it('run side by side without seeing each other', async () => {
      const [a, b] = await Promise.all([startTestGatewayRuntime('gw-a'), startTestGatewayRuntime('gw-b')]);
      nodes.push(a, b);
      assert.notEqual(a.containerd.address, b.containerd.address);
      const [podA, podB] = await Promise.all([runPod(a, 'pod-a'), runPod(b, 'pod-b')]);

      const listedA = await a.cri.listPodSandboxes();
      const listedB = await b.cri.listPodSandboxes();
      assert.deepEqual(
        listedA.map((s) => s.id),
        [podA.sandboxId],
      );
      assert.deepEqual(
        listedB.map((s) => s.id),
        [podB.sandboxId],
      );
      const ipA = listedA[0]?.ip ?? '';
      const ipB = listedB[0]?.ip ?? '';
      assert.ok(
        ipA.startsWith(a.gateway.podCidr.replace(/0\/24$/, '')),
        `${ipA} not in ${a.gateway.podCidr}`,
      );
      assert.ok(
        ipB.startsWith(b.gateway.podCidr.replace(/0\/24$/, '')),
        `${ipB} not in ${b.gateway.podCidr}`,
      );
      assert.equal(await a.cri.containerStatus(podB.containerId), undefined);

      // Purging one leaves the other running.
      await a.teardown();
      assert.deepEqual(leftovers(a, [podA.sandboxId]), []);
      assert.deepEqual(await podStates(b.cri, podB.sandboxId), ['READY', 'RUNNING']);
    });
  });

  describe('when containerd is already stopped', () => {
    let node: TestGatewayRuntime | undefined;

    after(async () => {
      await node?.teardown();
    });

    it('still purges the pods it left running: shims, containers, mounts, cgroups', async () => {
      node = await startTestGatewayRuntime('gw-stopped');
      const orphan = await runPod(node, 'orphan');
      await node.containerd.stop();
      // containerd 1.6 runs one shim per pod, shared by its sandbox and containers.
      assert.equal(
        processesWithArg('-address', node.containerd.address).length,
        1,
        'expected an orphaned shim',
      );
      await node.teardown();
      assert.deepEqual(leftovers(node, [orphan.sandboxId]), []);
    });
  });
});
