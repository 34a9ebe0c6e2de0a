import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerConfig, SandboxConfig } from '../../edge-agent/runtime/container-runtime.js';
import { RuntimeError } from '../../edge-agent/runtime/container-runtime.js';
import { FakeRuntime } from '../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../helpers/eventually.js';
import { containerRuntimeConformance } from './container-runtime.suite.js';

const BUSYBOX = 'docker.io/flotilla/busybox:1';

containerRuntimeConformance('FakeRuntime', async () => {
  const workDir = await mkdtemp(join(tmpdir(), 'flotilla-fake-runtime-'));
  // Containers and exec run the fake's command set (edge-agent/runtime/fake-commands/): no
  // `simulate`, the suite's busybox commands themselves exit, write logs and fail to start.
  const runtime = new FakeRuntime({ images: [BUSYBOX] });
  return {
    runtime,
    image: BUSYBOX,
    missingImage: 'docker.io/flotilla/missing:1',
    workDir,
    cleanup: async () => {
      runtime.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
});

describe('FakeRuntime', () => {
  const sandbox = (name: string, overrides: Partial<SandboxConfig> = {}): SandboxConfig => ({
    metadata: { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 },
    logDirectory: `/logs/${name}`,
    hostNetwork: false,
    portMappings: [],
    labels: {},
    annotations: {},
    ...overrides,
  });
  const container = (name: string, image = 'busybox'): ContainerConfig => ({
    name,
    attempt: 0,
    image,
    command: [],
    args: [],
    envs: [],
    mounts: [],
    labels: {},
    annotations: {},
    logPath: `${name}.log`,
  });

  describe('containers running their commands', () => {
    const logs = join(tmpdir(), `flotilla-fake-commands-${process.pid}`);
    after(() => rm(logs, { recursive: true, force: true }));
    const start = async (runtime: FakeRuntime, name: string, overrides: Partial<ContainerConfig>) => {
      const config = sandbox(name, { logDirectory: join(logs, name) });
      const sandboxId = await runtime.runPodSandbox(config);
      const id = await runtime.createContainer(sandboxId, { ...container('c'), ...overrides }, config);
      return { id, sandboxId, started: runtime.startContainer(id) };
    };
    const exited = (runtime: FakeRuntime, id: string) =>
      eventually(async () => {
        const status = await runtime.containerStatus(id);
        return status?.state === 'EXITED' ? status : undefined;
      });

    it('ends with the exit code of its script, its output in the CRI log file', async () => {
      const runtime = new FakeRuntime({ images: ['busybox'] });
      const { id, started } = await start(runtime, 'script', {
        command: ['sh', '-c'],
        args: ['echo starting; printf "no newline"; echo oops >&2; exit 3'],
      });
      await started;
      const status = await exited(runtime, id);
      assert.ok(status);
      assert.deepEqual([status.exitCode, status.reason], [3, 'Error']);
      const lines = (await readFile(status.logPath, 'utf8')).trimEnd().split('\n');
      assert.deepEqual(
        lines.map((line) => line.split(' ').slice(1).join(' ')),
        ['stdout F starting', 'stderr F oops', 'stdout F no newline'],
      );
    });

    it('fails to start a program the command set lacks, as runc does', async () => {
      const runtime = new FakeRuntime({ images: ['busybox'] });
      const { id, started } = await start(runtime, 'missing', { command: ['nginx'] });
      await assert.rejects(started, /exec: "nginx": executable file not found in \$PATH/);
      const status = await runtime.containerStatus(id);
      assert.deepEqual([status?.state, status?.exitCode, status?.reason], ['EXITED', 128, 'StartError']);
    });

    it('stops a container with its TERM trap exit code, else 137, and keeps one without a command running', async () => {
      const runtime = new FakeRuntime({ images: ['busybox'] });
      const trapped = await start(runtime, 'trapped', {
        command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'],
      });
      const plain = await start(runtime, 'plain', { command: ['sleep', '3600'] });
      const idle = await start(runtime, 'idle', {});
      await Promise.all([trapped.started, plain.started, idle.started]);
      await runtime.stopContainer(trapped.id, 10);
      await runtime.stopPodSandbox(plain.sandboxId);
      assert.equal((await runtime.containerStatus(trapped.id))?.exitCode, 0);
      assert.equal((await runtime.containerStatus(plain.id))?.exitCode, 137);
      assert.equal((await runtime.containerStatus(idle.id))?.state, 'RUNNING');
      runtime.close();
    });

    it('accepts connections on the ports its running containers declare, and refuses others', async () => {
      const runtime = new FakeRuntime({ images: ['busybox'] });
      const web = await start(runtime, 'web', { ports: [{ containerPort: 8080, protocol: 'TCP' }] });
      await web.started;
      assert.equal(runtime.simulatedConnect(web.id, 8080), true);
      assert.equal(runtime.simulatedConnect(web.id, 9090), false);
      await runtime.stopContainer(web.id, 0);
      assert.equal(runtime.simulatedConnect(web.id, 8080), false);
    });
  });

  it('hands out the same IDs and times on every run with the same clock', async () => {
    const runOnce = async () => {
      let now = 1_000;
      const runtime = new FakeRuntime({ now: () => now, images: ['busybox'] });
      const sandboxId = await runtime.runPodSandbox(sandbox('a'));
      now = 2_000;
      const containerId = await runtime.createContainer(sandboxId, container('c'), sandbox('a'));
      return { sandboxId, containerId, status: await runtime.containerStatus(containerId) };
    };
    const [first, second] = [await runOnce(), await runOnce()];
    assert.deepEqual(first, second);
    assert.equal(first.status?.createdAt, 2_000);
    assert.match(first.sandboxId, /^[0-9a-f]{64}$/);
  });

  it('allocates pod IPs after the last one handed out, as host-local does, and reuses released ones after wrapping around', async () => {
    const runtime = new FakeRuntime({ podCidr: '10.50.7.0/29' }); // pods: .2 to .6
    const ipOf = async (name: string) => {
      const id = await runtime.runPodSandbox(sandbox(name));
      return { id, ip: (await runtime.podSandboxStatus(id))?.ip };
    };
    const a = await ipOf('a');
    const b = await ipOf('b');
    assert.deepEqual([a.ip, b.ip], ['10.50.7.2', '10.50.7.3']);
    await runtime.stopPodSandbox(a.id);
    assert.equal((await runtime.podSandboxStatus(a.id))?.ip, undefined);
    assert.equal((await ipOf('c')).ip, '10.50.7.4');
    assert.deepEqual([(await ipOf('d')).ip, (await ipOf('e')).ip], ['10.50.7.5', '10.50.7.6']);
    assert.equal((await ipOf('f')).ip, '10.50.7.2', 'the released address, after wrapping around');
    await assert.rejects(ipOf('g'), /no IP addresses available in 10.50.7.0\/29/);
  });

  it('runs out of pod IPs after 253 sandboxes', async () => {
    const runtime = new FakeRuntime();
    for (let i = 0; i < 253; i++) await runtime.runPodSandbox(sandbox(`p${i}`));
    await assert.rejects(runtime.runPodSandbox(sandbox('one-too-many')), /no IP addresses available/);
  });

  it('takes pod IPs from a pod CIDR of any size from /8 to /30, and refuses others', async () => {
    const wide = new FakeRuntime({ podCidr: '10.60.0.0/16' });
    assert.equal((await wide.podSandboxStatus(await wide.runPodSandbox(sandbox('a'))))?.ip, '10.60.0.2');
    const small = new FakeRuntime({ podCidr: '10.61.0.4/30' });
    assert.equal((await small.podSandboxStatus(await small.runPodSandbox(sandbox('a'))))?.ip, '10.61.0.6');
    await assert.rejects(small.runPodSandbox(sandbox('b')), /no IP addresses available in 10.61.0.4\/30/);
    assert.throws(() => new FakeRuntime({ podCidr: '10.0.0.0/31' }), /podCidr must have a prefix length/);
    assert.throws(() => new FakeRuntime({ podCidr: 'fd00::/64' }), /podCidr must be an IPv4 CIDR/);
  });

  it('fails the next start of an image once, then starts it again', async () => {
    const runtime = new FakeRuntime({ images: ['busybox'] });
    const sandboxId = await runtime.runPodSandbox(sandbox('a'));
    runtime.failNextStart('docker.io/library/busybox:latest', 'boom');
    const first = await runtime.createContainer(sandboxId, container('first'), sandbox('a'));
    await assert.rejects(runtime.startContainer(first), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.equal(error.message, 'StartContainer: boom');
      return true;
    });
    assert.equal((await runtime.containerStatus(first))?.exitCode, 128);
    const second = await runtime.createContainer(sandboxId, container('second'), sandbox('a'));
    await runtime.startContainer(second);
    assert.equal((await runtime.containerStatus(second))?.state, 'RUNNING');
  });

  it('ends a container with the reason a test gives, such as OOMKilled', async () => {
    const runtime = new FakeRuntime({ images: ['busybox'] });
    const sandboxId = await runtime.runPodSandbox(sandbox('a'));
    const id = await runtime.createContainer(sandboxId, container('c'), sandbox('a'));
    await runtime.startContainer(id);
    runtime.exitContainer(id, 137, 'OOMKilled');
    const status = await runtime.containerStatus(id);
    assert.deepEqual([status?.state, status?.exitCode, status?.reason], ['EXITED', 137, 'OOMKilled']);
    assert.throws(() => runtime.exitContainer(id, 0), /is not running/);
  });

  it('finds images by short name, full name and ID, as CRI normalises them', async () => {
    const runtime = new FakeRuntime({ images: ['busybox', 'localhost:5000/app:2'] });
    const byShort = await runtime.imageStatus('busybox');
    assert.deepEqual(byShort?.repoTags, ['docker.io/library/busybox:latest']);
    assert.deepEqual(await runtime.imageStatus('docker.io/library/busybox:latest'), byShort);
    assert.deepEqual(await runtime.imageStatus(byShort?.id ?? ''), byShort);
    assert.ok(await runtime.imageStatus('localhost:5000/app:2'));
    assert.equal(await runtime.pullImage('busybox'), byShort?.id);
    assert.match(await runtime.pullImage('nginx:1.27'), /^sha256:/);
    assert.ok(await runtime.imageStatus('docker.io/library/nginx:1.27'));
  });

  it('fails every call with Unavailable during an outage, keeping its pods', async () => {
    const runtime = new FakeRuntime();
    const id = await runtime.runPodSandbox(sandbox('a'));
    runtime.startOutage();
    await assert.rejects(runtime.listPodSandboxes(), (error: unknown) => {
      assert.ok(error instanceof RuntimeError);
      assert.equal(error.code, 'Unavailable');
      return true;
    });
    runtime.endOutage();
    assert.equal((await runtime.podSandboxStatus(id))?.state, 'READY');
  });

  it('refuses a second sandbox with the same name, namespace, uid and attempt', async () => {
    const runtime = new FakeRuntime();
    await runtime.runPodSandbox(sandbox('a'));
    await assert.rejects(runtime.runPodSandbox(sandbox('a')), /is reserved/);
  });

  it('hands out copies that callers may change without effect', async () => {
    const runtime = new FakeRuntime();
    const id = await runtime.runPodSandbox(sandbox('a', { labels: { app: 'web' } }));
    const status = await runtime.podSandboxStatus(id);
    if (status) status.labels.app = 'changed';
    assert.equal((await runtime.podSandboxStatus(id))?.labels.app, 'web');
  });

  it('keeps ten thousand pods cheaply', async function () {
    this.timeout(10_000);
    const runtimes = Array.from({ length: 100 }, () => new FakeRuntime({ images: ['busybox'] }));
    const started = Date.now();
    for (const runtime of runtimes) {
      for (let i = 0; i < 100; i++) {
        const config = sandbox(`p${i}`);
        const sandboxId = await runtime.runPodSandbox(config);
        await runtime.startContainer(await runtime.createContainer(sandboxId, container('c'), config));
      }
    }
    assert.equal((await runtimes[99]!.listContainers()).length, 100);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });
});
