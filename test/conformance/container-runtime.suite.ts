// The behaviour every ContainerRuntime must show, on containerd 1.6 as measured (firmware-notes/host-runtime.md
// §1): each implementation's test file runs it. Real runtimes run real busybox processes;
// runtimes without processes (the fake) act the commands out through `simulate`.
// Contract for makeFixture: resolve to a runtime that has `image` (busybox applets: sh, echo,
// cat, sleep, true) and not `missingImage`, or call ctx.skip() when the host cannot run it.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ContainerConfig,
  type ContainerRuntime,
  type ContainerStatus,
  type ExecSession,
  RuntimeError,
  type SandboxConfig,
} from '../../edge-agent/runtime/container-runtime.js';
import { eventually } from '../helpers/eventually.js';

export interface RuntimeFixture {
  runtime: ContainerRuntime;
  image: string;
  missingImage: string;
  /** Scratch directory, visible to the runtime, for log directories and host paths. */
  workDir: string;
  /** cgroup parent for a pod's sandbox, when the runtime uses cgroups. */
  cgroupParent?: (uid: string) => string;
  /** For runtimes without processes: make a container behave as its command would. */
  simulate?: {
    exit(containerId: string, exitCode: number): void;
    output(containerId: string, line: string): Promise<void>;
    failNextStart(image: string, message: string): void;
  };
  cleanup(): Promise<void>;
}

/** Busybox as PID 1 ignores SIGTERM unless it traps it: stop then takes the whole grace period. */
const SLEEP_FOREVER = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'];
const CRI_LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}(Z|[+-]\d\d:\d\d) (stdout|stderr) [FP] /;

async function rejectsWithCode(promise: Promise<unknown>, code: RuntimeError['code']): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof RuntimeError, `expected a RuntimeError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

export function containerRuntimeConformance(
  name: string,
  makeFixture: (ctx: Mocha.Context) => Promise<RuntimeFixture>,
): void {
  describe(`ContainerRuntime conformance: ${name}`, function () {
    this.timeout(60_000);
    let fixture: RuntimeFixture;
    let runtime: ContainerRuntime;
    const sandboxes: string[] = [];
    let podCounter = 0;

    before(async function () {
      this.timeout(120_000);
      fixture = await makeFixture(this);
      runtime = fixture.runtime;
    });

    afterEach(async () => {
      for (const id of sandboxes.splice(0)) {
        await runtime.stopPodSandbox(id).catch(() => undefined);
        await runtime.removePodSandbox(id).catch(() => undefined);
      }
    });

    after(async () => {
      await fixture?.cleanup();
    });

    function aSandbox(name: string, overrides: Partial<SandboxConfig> = {}): SandboxConfig {
      podCounter += 1;
      const uid = `${process.pid}-${podCounter}-${name}`;
      return {
        metadata: { name, namespace: 'conformance', uid, attempt: 0 },
        hostname: name,
        logDirectory: join(fixture.workDir, 'logs', uid),
        hostNetwork: false,
        portMappings: [],
        labels: { 'flotilla.io/pod': name },
        annotations: {},
        cgroupParent: fixture.cgroupParent?.(uid),
        ...overrides,
      };
    }

    function aContainer(name: string, overrides: Partial<ContainerConfig> = {}): ContainerConfig {
      return {
        name,
        attempt: 0,
        image: fixture.image,
        command: SLEEP_FOREVER,
        args: [],
        envs: [],
        mounts: [],
        labels: {},
        annotations: {},
        logPath: `${name}/0.log`,
        ...overrides,
      };
    }

    async function runSandbox(config: SandboxConfig): Promise<string> {
      const id = await runtime.runPodSandbox(config);
      sandboxes.push(id);
      return id;
    }

    /** A sandbox with one started container. */
    async function runPod(
      podName: string,
      container: Partial<ContainerConfig> = {},
    ): Promise<{ sandboxId: string; containerId: string; sandbox: SandboxConfig }> {
      const sandbox = aSandbox(podName);
      const sandboxId = await runSandbox(sandbox);
      const containerId = await runtime.createContainer(sandboxId, aContainer('main', container), sandbox);
      await runtime.startContainer(containerId);
      return { sandboxId, containerId, sandbox };
    }

    async function exited(id: string): Promise<ContainerStatus> {
      return eventually(
        async () => {
          const status = await runtime.containerStatus(id);
          assert.equal(status?.state, 'EXITED');
          return status;
        },
        { timeoutMs: 15_000 },
      );
    }

    function near(ms: number): void {
      assert.ok(Math.abs(ms - Date.now()) < 60_000, `${ms} is not a recent time in milliseconds`);
    }

    describe('runtime', () => {
      it('reports the runtime.v1 API and ready runtime and network conditions', async () => {
        assert.equal((await runtime.version()).runtimeApiVersion, 'v1');
        const conditions = await runtime.status();
        for (const type of ['RuntimeReady', 'NetworkReady']) {
          assert.equal(conditions.find((c) => c.type === type)?.status, true, `${type} is not true`);
        }
      });
    });

    describe('sandboxes', () => {
      it('runs a sandbox READY with a pod IP, stops it to NOTREADY, then removes it', async () => {
        const config = aSandbox('lifecycle');
        const id = await runSandbox(config);
        const ready = await runtime.podSandboxStatus(id);
        assert.equal(ready?.state, 'READY');
        assert.match(ready?.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);
        assert.deepEqual(ready?.metadata, config.metadata);
        near(ready?.createdAt ?? 0);

        await runtime.stopPodSandbox(id);
        assert.equal((await runtime.podSandboxStatus(id))?.state, 'NOTREADY');
        await runtime.stopPodSandbox(id); // stopping twice is fine

        await runtime.removePodSandbox(id);
        assert.equal(await runtime.podSandboxStatus(id), undefined);
        assert.ok(!(await runtime.listPodSandboxes()).some((sandbox) => sandbox.id === id));
      });

      it('gives every running sandbox its own IP', async () => {
        const first = await runtime.podSandboxStatus(await runSandbox(aSandbox('ip-a')));
        const second = await runtime.podSandboxStatus(await runSandbox(aSandbox('ip-b')));
        assert.ok(first?.ip && second?.ip);
        assert.notEqual(first.ip, second.ip);
      });

      it('gives a host-network sandbox no pod IP', async () => {
        const id = await runSandbox(aSandbox('host', { hostNetwork: true }));
        const status = await runtime.podSandboxStatus(id);
        assert.equal(status?.state, 'READY');
        assert.equal(status?.ip, undefined);
      });

      it('lists sandboxes with their labels and annotations', async () => {
        const config = aSandbox('labelled', {
          labels: { app: 'web', 'flotilla.io/pod': 'labelled' },
          annotations: { 'flotilla.io/revision': '7' },
        });
        const id = await runSandbox(config);
        const listed = (await runtime.listPodSandboxes()).find((sandbox) => sandbox.id === id);
        assert.deepEqual(listed?.labels, config.labels);
        assert.deepEqual(listed?.annotations, config.annotations);
        assert.equal(listed?.state, 'READY');
        assert.deepEqual((await runtime.podSandboxStatus(id))?.labels, config.labels);
      });

      it('answers unknown sandbox IDs with NotFound, undefined, or a no-op remove', async () => {
        const unknown = 'f'.repeat(64);
        assert.equal(await runtime.podSandboxStatus(unknown), undefined);
        await rejectsWithCode(runtime.stopPodSandbox(unknown), 'NotFound');
        await runtime.removePodSandbox(unknown);
        await rejectsWithCode(runtime.createContainer(unknown, aContainer('x'), aSandbox('x')), 'NotFound');
      });

      it('removes the containers of a removed sandbox', async () => {
        const { sandboxId, containerId } = await runPod('remove-all');
        await runtime.stopPodSandbox(sandboxId);
        await runtime.removePodSandbox(sandboxId);
        assert.equal(await runtime.containerStatus(containerId), undefined);
        assert.ok(!(await runtime.listContainers()).some((container) => container.id === containerId));
      });
    });

    describe('containers', () => {
      it('creates a container CREATED and starts it RUNNING', async () => {
        const sandbox = aSandbox('start');
        const sandboxId = await runSandbox(sandbox);
        const id = await runtime.createContainer(sandboxId, aContainer('main'), sandbox);
        const created = await runtime.containerStatus(id);
        assert.equal(created?.state, 'CREATED');
        assert.equal(created?.podSandboxId, sandboxId);
        assert.equal(created?.name, 'main');
        assert.equal(created?.startedAt, 0);
        near(created?.createdAt ?? 0);

        await runtime.startContainer(id);
        const running = await runtime.containerStatus(id);
        assert.equal(running?.state, 'RUNNING');
        assert.ok((running?.startedAt ?? 0) >= (running?.createdAt ?? 0));
        assert.equal(running?.image, fixture.image);
        assert.notEqual(running?.imageRef, '');
        assert.equal(running?.logPath, join(sandbox.logDirectory, 'main/0.log'));
      });

      it('reports a command that exits 3 as EXITED with exit code 3 and reason Error', async () => {
        const { containerId } = await runPod('exit-3', { command: ['sh', '-c', 'exit 3'] });
        fixture.simulate?.exit(containerId, 3);
        const status = await exited(containerId);
        assert.equal(status.exitCode, 3);
        assert.equal(status.reason, 'Error');
        // Not finishedAt >= startedAt: containerd may record the exit of a quick process before
        // it records the start.
        assert.ok(status.startedAt > 0 && status.finishedAt > 0);
      });

      it('reports a command that succeeds as EXITED with reason Completed', async () => {
        const { containerId } = await runPod('true', { command: ['true'] });
        fixture.simulate?.exit(containerId, 0);
        const status = await exited(containerId);
        assert.equal(status.exitCode, 0);
        assert.equal(status.reason, 'Completed');
      });

      it('stops a running container to EXITED with a finish time', async () => {
        const { containerId } = await runPod('stop');
        await runtime.stopContainer(containerId, 10);
        const status = await runtime.containerStatus(containerId);
        assert.equal(status?.state, 'EXITED');
        assert.ok((status?.finishedAt ?? 0) >= (status?.startedAt ?? 0));
        await runtime.stopContainer(containerId, 10); // stopping twice is fine
      });

      it('reports a container that cannot start as EXITED with reason StartError', async () => {
        const sandbox = aSandbox('start-error');
        const sandboxId = await runSandbox(sandbox);
        const id = await runtime.createContainer(
          sandboxId,
          aContainer('main', { command: ['/no/such/binary'] }),
          sandbox,
        );
        fixture.simulate?.failNextStart(fixture.image, 'exec: "/no/such/binary": no such file or directory');
        await rejectsWithCode(runtime.startContainer(id), 'Unknown');
        const status = await runtime.containerStatus(id);
        assert.equal(status?.state, 'EXITED');
        assert.equal(status?.reason, 'StartError');
        assert.match(status?.message ?? '', /no such file or directory/);
      });

      it("fails to start a program not in the image's PATH with runc's words", async () => {
        const sandbox = aSandbox('not-in-path');
        const sandboxId = await runSandbox(sandbox);
        const id = await runtime.createContainer(
          sandboxId,
          aContainer('main', { command: ['no-such-program'] }),
          sandbox,
        );
        fixture.simulate?.failNextStart(
          fixture.image,
          'exec: "no-such-program": executable file not found in $PATH',
        );
        await rejectsWithCode(runtime.startContainer(id), 'Unknown');
        const status = await runtime.containerStatus(id);
        assert.deepEqual([status?.state, status?.exitCode, status?.reason], ['EXITED', 128, 'StartError']);
        assert.match(status?.message ?? '', /exec: "no-such-program": executable file not found in \$PATH/);
      });

      it('refuses an image it does not have with NotFound (CreateContainer never pulls)', async () => {
        const sandbox = aSandbox('missing-image');
        const sandboxId = await runSandbox(sandbox);
        await rejectsWithCode(
          runtime.createContainer(sandboxId, aContainer('main', { image: fixture.missingImage }), sandbox),
          'NotFound',
        );
      });

      it('answers unknown container IDs with NotFound, undefined, or a no-op remove', async () => {
        const unknown = 'e'.repeat(64);
        assert.equal(await runtime.containerStatus(unknown), undefined);
        await rejectsWithCode(runtime.startContainer(unknown), 'NotFound');
        await rejectsWithCode(runtime.stopContainer(unknown, 0), 'NotFound');
        await rejectsWithCode(runtime.execSync(unknown, ['true'], 5), 'NotFound');
        await runtime.removeContainer(unknown);
      });

      it('passes env to the process', async () => {
        const { containerId } = await runPod('env', { envs: [{ key: 'FOO', value: 'bar baz' }] });
        const result = await runtime.execSync(containerId, ['sh', '-c', 'echo $FOO'], 10);
        assert.equal(result.exitCode, 0);
        assert.equal(result.stdout.toString(), 'bar baz\n');
      });

      it('runs the command with its args', async () => {
        const { containerId } = await runPod('args', { command: ['sleep'], args: ['3600'] });
        const result = await runtime.execSync(containerId, ['cat', '/proc/1/cmdline'], 10);
        assert.equal(result.stdout.toString(), 'sleep\u00003600\u0000');
      });

      it('mounts a host path into the container', async () => {
        const hostDir = join(fixture.workDir, `host-path-${process.pid}-${podCounter}`);
        await mkdir(hostDir, { recursive: true });
        await writeFile(join(hostDir, 'hello.txt'), 'from the gateway\n');
        const { containerId } = await runPod('mount', {
          mounts: [{ containerPath: '/data', hostPath: hostDir, readonly: true }],
        });
        const result = await runtime.execSync(containerId, ['cat', '/data/hello.txt'], 10);
        assert.equal(result.stdout.toString(), 'from the gateway\n');
      });

      it('returns container labels and annotations unchanged from status and list', async () => {
        const labels = { 'io.kubernetes.container.name': 'main', tier: 'edge' };
        const annotations = { 'flotilla.io/hash': 'abc123' };
        const { containerId, sandboxId } = await runPod('container-labels', { labels, annotations });
        const status = await runtime.containerStatus(containerId);
        assert.deepEqual(status?.labels, labels);
        assert.deepEqual(status?.annotations, annotations);
        const listed = (await runtime.listContainers({ podSandboxId: sandboxId }))[0];
        assert.deepEqual(listed?.labels, labels);
        assert.deepEqual(listed?.annotations, annotations);
      });

      it('lists containers by sandbox', async () => {
        const first = await runPod('list-a');
        const second = await runPod('list-b');
        const ofFirst = await runtime.listContainers({ podSandboxId: first.sandboxId });
        assert.deepEqual(
          ofFirst.map((c) => [c.id, c.podSandboxId, c.state]),
          [[first.containerId, first.sandboxId, 'RUNNING']],
        );
        const all = (await runtime.listContainers()).map((c) => c.id);
        assert.ok(all.includes(first.containerId) && all.includes(second.containerId));
      });

      it('writes container output to the log file in CRI format', async () => {
        const { containerId, sandbox } = await runPod('logs', {
          command: ['sh', '-c', 'echo hello-from-the-log; trap "exit 0" TERM; sleep 3600 & wait'],
        });
        await fixture.simulate?.output(containerId, 'hello-from-the-log');
        const file = join(sandbox.logDirectory, 'main/0.log');
        const line = await eventually(async () => {
          const lines = (await readFile(file, 'utf8')).split('\n');
          const found = lines.find((l) => l.endsWith(' stdout F hello-from-the-log'));
          assert.ok(found !== undefined, `no such line in ${file}`);
          return found;
        });
        assert.match(line, CRI_LOG_LINE);
      });
    });

    describe('exec', () => {
      /** A streaming exec; resolves with what it printed and its exit code. */
      async function streamExec(
        containerId: string,
        command: string[],
        input?: (session: ExecSession) => void,
      ): Promise<{ stdout: string; stderr: string; exitCode: number }> {
        const out = { stdout: '', stderr: '' };
        const session = await runtime.exec(containerId, {
          command,
          stdin: input !== undefined,
          stdout: true,
          stderr: true,
          tty: false,
          output: (stream, data) => {
            out[stream] += data.toString();
          },
        });
        input?.(session);
        const exitCode = await session.done;
        return { ...out, exitCode };
      }

      it('runs a command with ExecSync and returns its stdout, stderr and exit code', async () => {
        const { containerId } = await runPod('exec-sync');
        const result = await runtime.execSync(
          containerId,
          ['sh', '-c', 'echo out; echo err >&2; exit 3'],
          10,
        );
        assert.deepEqual(
          [result.stdout.toString(), result.stderr.toString(), result.exitCode],
          ['out\n', 'err\n', 3],
        );
      });

      it("fails ExecSync of a program the image lacks with runc's not-found message", async () => {
        const { containerId } = await runPod('exec-missing');
        await assert.rejects(runtime.execSync(containerId, ['no-such-tool'], 10), (error: unknown) => {
          assert.ok(error instanceof RuntimeError);
          assert.match(error.message, /exec: "no-such-tool": executable file not found in \$PATH/);
          return true;
        });
      });

      it('stops ExecSync at its timeout with DeadlineExceeded', async () => {
        const { containerId } = await runPod('exec-timeout');
        const started = Date.now();
        await rejectsWithCode(runtime.execSync(containerId, ['sleep', '10'], 1), 'DeadlineExceeded');
        assert.ok(Date.now() - started < 8_000, `took ${Date.now() - started} ms`);
      });

      it('streams an exec: stdin in, stdout out, EOF on closeStdin, then the exit code', async () => {
        const { containerId } = await runPod('exec-stream');
        const result = await streamExec(containerId, ['cat'], (session) => {
          session.write(Buffer.from('hello\n'));
          session.write(Buffer.from('again\n'));
          session.closeStdin();
        });
        assert.deepEqual(result, { stdout: 'hello\nagain\n', stderr: '', exitCode: 0 });
      });

      it('keeps stderr apart from stdout and ends a streaming exec with its exit code', async () => {
        const { containerId } = await runPod('exec-stream-code');
        const result = await streamExec(containerId, ['sh', '-c', 'echo out; echo err >&2; exit 4']);
        assert.deepEqual(result, { stdout: 'out\n', stderr: 'err\n', exitCode: 4 });
      });

      it('rejects a streaming exec of a missing program with the same not-found message', async () => {
        const { containerId } = await runPod('exec-stream-missing');
        await assert.rejects(streamExec(containerId, ['no-such-tool']), (error: unknown) => {
          assert.ok(error instanceof RuntimeError);
          assert.match(error.message, /exec: "no-such-tool": executable file not found in \$PATH/);
          return true;
        });
      });

      it('refuses to exec in a container that has exited', async () => {
        const { containerId } = await runPod('exec-exited', { command: ['sh', '-c', 'exit 0'] });
        fixture.simulate?.exit(containerId, 0);
        await exited(containerId);
        await assert.rejects(runtime.execSync(containerId, ['true'], 5), RuntimeError);
        await assert.rejects(streamExec(containerId, ['true']), RuntimeError);
      });
    });

    describe('process namespace of a target container (ephemeral containers)', () => {
      const TARGET = ['sh', '-c', 'trap "exit 0" TERM; sleep 3601 & wait'];

      async function addContainer(
        pod: { sandboxId: string; sandbox: SandboxConfig },
        name: string,
        overrides: Partial<ContainerConfig> = {},
      ): Promise<string> {
        const id = await runtime.createContainer(pod.sandboxId, aContainer(name, overrides), pod.sandbox);
        await runtime.startContainer(id);
        return id;
      }

      it("sees the target's processes when it targets a container, and only its own otherwise", async () => {
        const pod = await runPod('pid-target', { command: TARGET });
        const debug = await addContainer(pod, 'debug', { targetContainerId: pod.containerId, stdin: true });
        const alone = await addContainer(pod, 'alone');
        const seen = (await runtime.execSync(debug, ['ps'], 10)).stdout.toString();
        assert.match(seen, /sleep 3601/);
        assert.match(seen, /sleep 3600/);
        const unseen = (await runtime.execSync(alone, ['ps'], 10)).stdout.toString();
        assert.doesNotMatch(unseen, /sleep 3601/);
        assert.match(unseen, /sleep 3600/);
      });

      it('refuses a target that is not running', async () => {
        const pod = await runPod('pid-target-exited', { command: ['sh', '-c', 'exit 0'] });
        fixture.simulate?.exit(pod.containerId, 0);
        await exited(pod.containerId);
        await assert.rejects(
          runtime.createContainer(
            pod.sandboxId,
            aContainer('debug', { targetContainerId: pod.containerId }),
            pod.sandbox,
          ),
          (error: unknown) => {
            assert.ok(error instanceof RuntimeError, String(error));
            assert.match(error.message, /not running/);
            return true;
          },
        );
      });
    });

    describe('stats', () => {
      it('reports CPU time and working set of running containers, with their labels', async () => {
        const labels = { 'io.kubernetes.container.name': 'main', tier: 'edge' };
        const { containerId, sandboxId } = await runPod('stats', { labels });
        const stats = await eventually(async () => {
          const found = (await runtime.listContainerStats({ podSandboxId: sandboxId })).find(
            (s) => s.id === containerId,
          );
          assert.ok(found && found.memoryWorkingSetBytes > 0, 'no working set yet');
          return found;
        });
        assert.equal(stats.name, 'main');
        assert.deepEqual(stats.labels, labels);
        assert.ok(stats.cpuUsageCoreNanoSeconds >= 0);
        near(stats.timestamp);
        const others = await runtime.listContainerStats({ podSandboxId: 'f'.repeat(64) });
        assert.deepEqual(others, []);
      });
    });

    describe('images', () => {
      it('reports the status of a present image and undefined for a missing one', async () => {
        const present = await runtime.imageStatus(fixture.image);
        assert.match(present?.id ?? '', /^sha256:[0-9a-f]{64}$/);
        assert.ok(present?.repoTags.includes(fixture.image), `repoTags: ${present?.repoTags}`);
        assert.ok((present?.size ?? 0) > 0);
        assert.equal(await runtime.imageStatus(fixture.missingImage), undefined);
      });

      it('lists the images it has', async () => {
        const images = await runtime.listImages();
        assert.ok(images.some((image) => image.repoTags.includes(fixture.image)));
        assert.ok(!images.some((image) => image.repoTags.includes(fixture.missingImage)));
      });
    });
  });
}
