// Pod sync against a real containerd 1.6 in an emulated gateway (netns): init containers, env
// and volumes from a config map, an httpd behind an httpGet readiness probe, crash-loop
// back-off, a failing image pull, adoption by a second agent, graceful deletion.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../api/clock.js';
import { silentLogger } from '../../api/logger.js';
import type { PodStatusItem } from '../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../api/types.js';
import { PodManager } from '../../edge-agent/pods/pod-manager.js';
import type { PodEventReport } from '../../edge-agent/pods/pod-manager-contract.js';
import { cgroupMountPoints } from '../../edge-agent/runtime/instance-cleanup.js';
import { missingForContainers, skipSuiteUnless } from '../helpers/environment.js';
import { eventually } from '../helpers/eventually.js';
import { startTestGatewayRuntime, type TestGatewayRuntime } from '../helpers/test-gateway-runtime.js';
import {
  aConfigMap,
  aContainer,
  aPod,
  deleting,
  desiredState,
  type TestPod,
} from '../unit/pods/pod-builders.js';

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function webPod(): TestPod {
  return aPod('web', {
    terminationGracePeriodSeconds: 5,
    volumes: [
      { name: 'www', emptyDir: {} },
      { name: 'config', configMap: { name: 'web-config' } },
    ],
    initContainers: [
      aContainer('render', {
        command: ['sh', '-c', 'echo "<h1>$GREETING from $(POD_NAME)</h1>" > /www/index.html; echo rendered'],
        env: [
          { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'greeting' } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
        volumeMounts: [{ name: 'www', mountPath: '/www' }],
      }),
    ],
    containers: [
      aContainer('httpd', {
        command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
        ports: [{ name: 'http', containerPort: 8080, hostPort: 18080 }],
        resources: { requests: { cpu: '100m' }, limits: { cpu: '500m', memory: '64Mi' } },
        readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
        volumeMounts: [
          { name: 'www', mountPath: '/www' },
          { name: 'config', mountPath: '/etc/web' },
        ],
      }),
    ],
  });
}

const crashing = aPod('crash', {
  containers: [aContainer('app', { command: ['sh', '-c', 'echo bye; exit 1'] })],
});
const missingImage = aPod('ghost', {
  containers: [aContainer('app', { image: 'docker.io/flotilla/missing:1' })],
});

describe('pod sync on a real containerd in a gateway netns', function () {
  this.timeout(120_000);
  let node: TestGatewayRuntime | undefined;
  let manager: PodManager | undefined;
  let pods: KubeObject[] = [];
  let revision = 0;
  const statuses: PodStatusItem[] = [];
  const events: PodEventReport[] = [];
  const configMaps = [aConfigMap('web-config', { greeting: 'hello', 'site.conf': 'mode=edge\n' })];

  function newManager(): PodManager {
    const agent = new PodManager({
      runtime: node!.cri,
      nodeName: 'gw1',
      dataDir: join(node!.dataDir, 'agent'),
      clock: systemClock,
      reports: { podStatus: (item) => statuses.push(item), event: (event) => events.push(event) },
      syncIntervalMs: 200,
      hostIP: node!.gateway.address,
      log: silentLogger,
      crashBackoff: { initialMs: 500, maxMs: 2000 },
      pullBackoff: { initialMs: 1000, maxMs: 4000 },
      pullTimeoutMs: 5000,
      cgroupRoot: node!.cgroupRoot,
    });
    return agent;
  }

  function apply(next: KubeObject[]): void {
    pods = next;
    revision += 1;
    manager!.setDesired(desiredState(pods, { configMaps, revision }));
  }

  function latest(name: string): PodStatusItem {
    const item = statuses.filter((s) => s.name === name).at(-1);
    assert.ok(item, `no status for ${name}`);
    return item;
  }

  const container = (name: string, containerName: string): any =>
    [
      ...(latest(name).status.initContainerStatuses ?? []),
      ...(latest(name).status.containerStatuses ?? []),
    ].find((c) => c.name === containerName);

  before(async function () {
    skipSuiteUnless(this, missingForContainers());
    node = await startTestGatewayRuntime('gw-pods');
    manager = newManager();
    await manager.start();
  });

  after(async () => {
    await manager?.stop();
    await node?.teardown();
  });

  it('runs an init container, env and a volume from a config map, and an httpd that turns Ready', async () => {
    const started = performance.now();
    apply([webPod()]);
    await eventually(
      () => {
        const { status } = latest('web');
        assert.equal(status.phase, 'Running');
        assert.equal(status.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
        return true;
      },
      { timeoutMs: 30_000 },
    );
    const readyMs = performance.now() - started;
    const { status } = latest('web');
    assert.match(String(status.podIP), /^10\.231\.\d+\.\d+$/);
    assert.equal(status.hostIP, node!.gateway.address);
    assert.equal(container('web', 'render').state.terminated.reason, 'Completed');
    const page = await fetch(`http://${status.podIP}:8080/index.html`).then((r) => r.text());
    assert.equal(page.trim(), '<h1>hello from web</h1>');
    const viaHostPort = await fetch(`http://${node!.gateway.address}:18080/index.html`).then((r) => r.text());
    assert.equal(viaHostPort.trim(), '<h1>hello from web</h1>');
    const httpd = container('web', 'httpd');
    const id = String(httpd.containerID).replace('containerd://', '');
    const read = async (command: string[]) => (await node!.cri.execSync(id, command, 5)).stdout.toString();
    assert.equal(await read(['cat', '/etc/web/site.conf']), 'mode=edge\n');
    assert.equal(await read(['cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes']), `${64 * 2 ** 20}\n`);
    assert.equal(await read(['cat', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us']), '50000\n');
    assert.equal(await read(['cat', '/sys/fs/cgroup/cpu/cpu.shares']), '102\n');
    assert.equal(await manager!.readLogs('default', 'web', 'render', {}), 'rendered\n');
    console.log(`      pod with init container + httpd → Running and Ready: ${readyMs.toFixed(0)} ms`);
  });

  it('puts a container that keeps exiting 1 into CrashLoopBackOff with a growing restart count', async () => {
    const started = performance.now();
    apply([...pods, crashing]);
    await eventually(
      () => {
        const app = container('crash', 'app');
        assert.ok(app.restartCount >= 2, `restartCount ${app?.restartCount}`);
        assert.equal(app.state.waiting?.reason, 'CrashLoopBackOff');
        assert.match(
          app.state.waiting.message,
          /^back-off \S+ restarting failed container=app pod=crash_default\(uid-crash\)$/,
        );
        assert.equal(app.lastState.terminated.exitCode, 1);
        return true;
      },
      { timeoutMs: 30_000 },
    );
    assert.equal(latest('crash').status.phase, 'Running');
    assert.equal(await manager!.readLogs('default', 'crash', undefined, { previous: true }), 'bye\n');
    console.log(
      `      exit 1 → CrashLoopBackOff, restartCount ≥ 2: ${(performance.now() - started).toFixed(0)} ms`,
    );
  });

  it('reports ErrImagePull, then ImagePullBackOff, for an image it cannot pull, within a bounded time', async () => {
    const started = performance.now();
    apply([...pods, missingImage]);
    const seen = new Map<string, string>();
    await eventually(
      () => {
        const waiting = container('ghost', 'app')?.state.waiting;
        if (waiting) seen.set(waiting.reason, waiting.message);
        assert.ok(seen.has('ErrImagePull') && seen.has('ImagePullBackOff'), [...seen.keys()].join(','));
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 10 },
    );
    assert.equal(latest('ghost').status.phase, 'Pending');
    console.log(
      `      missing image → ErrImagePull and ImagePullBackOff: ${(performance.now() - started).toFixed(0)} ms`,
    );
    console.log(`      (ErrImagePull: ${seen.get('ErrImagePull')})`);
  });

  it('lets a second agent adopt the running pod: same containers, same restart count', async () => {
    const webParts = async () => ({
      sandboxes: (await node!.cri.listPodSandboxes())
        .filter((s) => s.metadata.name === 'web')
        .map((s) => s.id),
      containers: (await node!.cri.listContainers())
        .filter((c) => c.labels['io.kubernetes.pod.name'] === 'web')
        .map((c) => `${c.id} ${c.state}`)
        .sort(),
    });
    const before = container('web', 'httpd');
    const parts = await webParts();
    await manager!.stop();
    const reported = statuses.length;
    const started = performance.now();
    manager = newManager();
    manager.setDesired(desiredState(pods, { configMaps, revision }));
    await manager.start();
    await eventually(() => {
      assert.ok(statuses.slice(reported).some((s) => s.name === 'web'));
      assert.equal(latest('web').status.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
      return true;
    });
    console.log(
      `      new agent → pod adopted and Ready again: ${(performance.now() - started).toFixed(0)} ms`,
    );
    const after = container('web', 'httpd');
    assert.equal(after.containerID, before.containerID);
    assert.equal(after.restartCount, before.restartCount);
    assert.deepEqual(await webParts(), parts);
    const flaps = statuses
      .slice(reported)
      .filter(
        (s) => s.name === 'web' && s.status.conditions?.find((c) => c.type === 'Ready')?.status !== 'True',
      );
    assert.deepEqual(flaps, [], 'the adopted pod never turned unready');
  });

  it('deletes a pod gracefully: containers and sandbox stopped and removed, then reported finalized', async () => {
    const started = performance.now();
    apply(pods.map((pod) => (pod.metadata.name === 'web' ? deleting(pod as TestPod, 3) : pod)));
    await eventually(() => statuses.some((s) => s.name === 'web' && s.finalized), { timeoutMs: 20_000 });
    const deletedMs = performance.now() - started;
    const final = statuses.find((s) => s.name === 'web' && s.finalized)!;
    const httpd = final.status.containerStatuses?.find((c) => c.name === 'httpd') as any;
    assert.ok(httpd.state.terminated, JSON.stringify(httpd.state));
    const left = (await node!.cri.listPodSandboxes()).filter((s) => s.metadata.name === 'web');
    assert.deepEqual(left, []);
    assert.ok(events.some((e) => e.involvedObject.name === 'web' && e.reason === 'Killing'));
    console.log(`      graceful deletion → finalized: ${deletedMs.toFixed(0)} ms`);
  });

  it('removes the pods that leave the desired state, and their cgroup parents', async () => {
    const podParents = () =>
      cgroupMountPoints().flatMap((point) =>
        readdirSafe(join(point, node!.cgroupRoot)).filter((entry) => entry.startsWith('pod')),
      );
    assert.ok(podParents().length > 0, 'the running pods have cgroup parents');
    apply([]);
    await eventually(
      async () => {
        assert.deepEqual(await node!.cri.listPodSandboxes(), []);
        return true;
      },
      { timeoutMs: 20_000 },
    );
    assert.deepEqual(await node!.cri.listContainers(), []);
    // runc leaves the pods' cgroup parents behind: the agent removes them with the pods.
    await eventually(() => {
      assert.deepEqual(podParents(), []);
      return true;
    });
  });
});
