// CriRuntime against a real containerd 1.6 that the agent manages, inside an emulated gateway.
import assert from 'node:assert/strict';
import type { ContainerConfig, SandboxConfig } from '../../edge-agent/runtime/container-runtime.js';
import { CriRuntime } from '../../edge-agent/runtime/cri-runtime.js';
import { containerRuntimeConformance } from '../conformance/container-runtime.suite.js';
import { netnsDialer } from '../helpers/netns-dialer.js';
import {
  skipUnlessRuntimeHost,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../helpers/test-gateway-runtime.js';

containerRuntimeConformance('CriRuntime on a managed containerd in a gateway netns', async (ctx) => {
  skipUnlessRuntimeHost(ctx);
  const node = await startTestGatewayRuntime('gw-cri');
  // Exec streams come from containerd's streaming server on the netns' loopback.
  const streams = netnsDialer(node.gateway.netnsPath);
  const runtime = new CriRuntime(node.containerd.endpoint, { timeoutMs: 20_000, dialStream: streams.dial });
  return {
    runtime,
    image: node.busyboxImage,
    missingImage: 'docker.io/flotilla/missing:1',
    workDir: node.dataDir,
    cgroupParent: (uid) => `${node.cgroupRoot}/pod${uid}`,
    cleanup: async () => {
      runtime.close();
      streams.close();
      await node.teardown();
    },
  };
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

describe('CriRuntime timings on a managed containerd', function () {
  this.timeout(120_000);
  let node: TestGatewayRuntime | undefined;

  before(async function () {
    skipUnlessRuntimeHost(this);
    node = await startTestGatewayRuntime('gw-timing');
  });

  after(async () => {
    await node?.teardown();
  });

  it('brings a pod to RUNNING and tears it down in well under a second each', async () => {
    const cri = node!.cri;
    const toRunning: number[] = [];
    const teardown: number[] = [];
    for (let i = 0; i < 6; i++) {
      const uid = `timing-${process.pid}-${i}`;
      const sandbox: SandboxConfig = {
        metadata: { name: `timing-${i}`, namespace: 'bench', uid, attempt: 0 },
        logDirectory: `${node!.dataDir}/logs/${uid}`,
        hostNetwork: false,
        portMappings: [],
        labels: {},
        annotations: {},
        cgroupParent: `${node!.cgroupRoot}/pod${uid}`,
      };
      const container: ContainerConfig = {
        name: 'main',
        attempt: 0,
        image: node!.busyboxImage,
        command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'],
        args: [],
        envs: [],
        mounts: [],
        labels: {},
        annotations: {},
        logPath: 'main/0.log',
      };
      let started = performance.now();
      const sandboxId = await cri.runPodSandbox(sandbox);
      const containerId = await cri.createContainer(sandboxId, container, sandbox);
      await cri.startContainer(containerId);
      assert.equal((await cri.containerStatus(containerId))?.state, 'RUNNING');
      const up = performance.now() - started;
      started = performance.now();
      await cri.stopContainer(containerId, 10);
      await cri.stopPodSandbox(sandboxId);
      await cri.removeContainer(containerId);
      await cri.removePodSandbox(sandboxId);
      const down = performance.now() - started;
      if (i > 0) {
        // the first run warms caches up
        toRunning.push(up);
        teardown.push(down);
      }
    }
    console.log(
      `      sandbox + container → RUNNING: median ${median(toRunning).toFixed(0)} ms ` +
        `(${toRunning.map((t) => t.toFixed(0)).join(', ')}); teardown: median ${median(teardown).toFixed(0)} ms ` +
        `(${teardown.map((t) => t.toFixed(0)).join(', ')})`,
    );
    assert.ok(median(toRunning) < 1_000 && median(teardown) < 1_000);
  });
});
