import assert from 'node:assert/strict';
import { silentLogger } from '../../../api/logger.js';
import type { StreamChunk } from '../../../api/mqtt/payloads/requests.js';
import { routes } from '../../../api/mqtt/route-table.js';
import type { KubeObject } from '../../../api/types.js';
import { ActiveRequests } from '../../../edge-agent/hub-link/active-requests.js';
import { ExecInputs } from '../../../edge-agent/hub-link/exec-inputs.js';
import { handleRequest, type RequestDeps } from '../../../edge-agent/hub-link/request-handler.js';
import { ContainerNameLabel, PodUidLabel } from '../../../edge-agent/pods/runtime-labels.js';
import { UsageMetrics } from '../../../edge-agent/pods/usage-metrics.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';

const replyTo = 'flotilla/v1/nodes/gw-1/replies/x-1';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
  spec: {
    containers: [
      { name: 'app', image: 'busybox' },
      { name: 'side', image: 'busybox' },
    ],
  },
} as unknown as KubeObject;

async function harness() {
  const runtime = new FakeRuntime({ images: ['busybox'] });
  const sandbox = {
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web', attempt: 0 },
    logDirectory: '/tmp/none',
    hostNetwork: false,
    portMappings: [],
    labels: {},
    annotations: {},
  };
  const sandboxId = await runtime.runPodSandbox(sandbox);
  const ids: Record<string, string> = {};
  for (const name of ['app', 'side']) {
    ids[name] = await runtime.createContainer(
      sandboxId,
      {
        name,
        attempt: 0,
        image: 'busybox',
        command: [],
        args: [],
        envs: [{ key: 'WHO', value: 'agent' }],
        mounts: [],
        labels: {
          [PodUidLabel]: 'uid-web',
          [ContainerNameLabel]: name,
          'io.kubernetes.pod.name': 'web',
          'io.kubernetes.pod.namespace': 'default',
        },
        annotations: {},
        logPath: `${name}.log`,
      },
      sandbox,
    );
    await runtime.startContainer(ids[name]!);
  }
  const replies: StreamChunk[] = [];
  const inputs = new ExecInputs();
  const active = new ActiveRequests();
  const deps: RequestDeps = {
    nodeName: 'gw-1',
    logs: {
      readLogs: async () => '',
      readLogsFrom: async () => ({ entries: [], offset: 0, containerId: '', running: false }),
    },
    active,
    reply: async (_topic, chunk) => {
      assert.equal(routes.reply.validate(chunk).ok, true, JSON.stringify(chunk));
      replies.push(chunk);
    },
    log: silentLogger,
    exec: { nodeName: 'gw-1', runtime, pods: () => [{ pod }], inputs, keepAliveMs: 40 },
    metrics: new UsageMetrics({
      nodeName: 'gw-1',
      runtime,
      readNode: async () => ({ at: Date.now(), busyNanoSeconds: 0, workingSetBytes: 2048 }),
      windowMs: 1,
    }),
  };
  const exec = (command: string[], extra: object = {}) =>
    handleRequest(deps, {
      route: 'execRequest',
      request: { id: 'x-1', replyTo, namespace: 'default', pod: 'web', container: 'app', command, ...extra },
    });
  const stdin = (chunk: Omit<StreamChunk, 'id'>) => inputs.receive({ id: 'x-1', ...chunk });
  const forward = (port: number) =>
    handleRequest(deps, {
      route: 'portForwardRequest',
      request: { id: 'x-1', replyTo, namespace: 'default', pod: 'web', port },
    });
  const attach = (extra: object = {}) =>
    handleRequest(deps, {
      route: 'attachRequest',
      request: { id: 'x-1', replyTo, namespace: 'default', pod: 'web', container: 'app', ...extra },
    });
  return { runtime, ids, replies, exec, stdin, forward, attach, active, deps };
}

const text = (replies: StreamChunk[], stream: 'stdout' | 'stderr' | 'data') =>
  replies
    .filter((c) => c.stream === stream)
    .map((c) => Buffer.from(c.data ?? '', c.encoding === 'base64' ? 'base64' : 'utf8').toString())
    .join('');

describe('agent exec requests', () => {
  it('runs a command without stdin through ExecSync: a start chunk, output, then the exit code', async () => {
    const h = await harness();
    await h.exec(['sh', '-c', 'echo hi $WHO; echo warn >&2; exit 2']);
    assert.deepEqual(h.replies[0], { id: 'x-1', seq: 0 });
    assert.equal(text(h.replies, 'stdout'), 'hi agent\n');
    assert.equal(text(h.replies, 'stderr'), 'warn\n');
    assert.deepEqual(h.replies.at(-1), { id: 'x-1', seq: h.replies.length - 1, end: true, exitCode: 2 });
    assert.deepEqual(
      h.replies.map((c) => c.seq),
      h.replies.map((_, i) => i),
    );
  });

  it('feeds stdin chunks in seq order to an interactive exec and closes stdin on the end chunk', async () => {
    const h = await harness();
    const done = h.exec(['cat'], { stdin: true });
    await eventually(() => h.replies.length > 0);
    h.stdin({ seq: 1, data: 'second\n' });
    h.stdin({ seq: 0, data: 'first\n' });
    h.stdin({ seq: 0, data: 'first\n' }); // a QoS 1 redelivery changes nothing
    h.stdin({ seq: 2, resize: { width: 100, height: 30 }, end: true });
    await done;
    assert.equal(text(h.replies, 'stdout'), 'first\nsecond\n');
    assert.deepEqual(h.runtime.execSessions.at(-1)?.size, { width: 100, height: 30 });
    assert.equal(h.replies.at(-1)?.exitCode, 0);
  });

  it('turns a program the image lacks into exit code 127 with the runtime message on stderr', async () => {
    const h = await harness();
    await h.exec(['no-such-tool']);
    assert.match(
      text(h.replies, 'stderr'),
      /^OCI runtime exec failed: .*exec: "no-such-tool": executable file not found/,
    );
    assert.equal(h.replies.at(-1)?.exitCode, 127);
    await h.exec(['no-such-tool'], { stdin: true });
    assert.equal(h.replies.at(-1)?.exitCode, 127);
  });

  it('answers a pod that is not on this gateway, or a container that is not running, with an error only', async () => {
    const h = await harness();
    await handleRequest(h.deps, {
      route: 'execRequest',
      request: { id: 'x-1', replyTo, namespace: 'default', pod: 'other', command: ['true'] },
    });
    assert.deepEqual(h.replies, [
      { id: 'x-1', seq: 0, end: true, error: 'pod default/other not found on gateway gw-1' },
    ]);
    h.replies.length = 0;
    h.runtime.exitContainer(h.ids.side!, 1);
    await h.exec(['true'], { container: 'side' });
    assert.deepEqual(h.replies, [
      {
        id: 'x-1',
        seq: 0,
        end: true,
        error: 'container side in pod default/web is not running (it exited with code 1, Error)',
      },
    ]);
  });

  it('stops a command at timeoutSeconds and says the deadline was exceeded', async () => {
    const h = await harness();
    await h.exec(['sleep', '5'], { timeoutSeconds: 1 });
    assert.equal(
      h.replies.at(-1)?.error,
      'deadline exceeded: "sleep 5" did not finish within 1s and was stopped',
    );
  });

  it('keeps a quiet command alive with empty chunks, and a cancel request ends it', async () => {
    const h = await harness();
    const done = h.exec(['sleep', '30'], { stdin: true });
    await eventually(() => h.replies.length >= 3);
    assert.ok(h.replies.every((c) => c.data === undefined && !c.end));
    h.active.cancel('x-1');
    await done;
    assert.equal(h.replies.at(-1)?.end, true);
    assert.equal(h.active.size, 0);
  });
});

describe('agent metrics requests', () => {
  it('answers pod usage as a metrics.k8s.io PodMetricsList in data chunks', async () => {
    const h = await harness();
    h.runtime.setUsage(h.ids.app!, { nanoCores: 250_000_000, memoryBytes: 4 * 1024 * 1024 });
    await handleRequest(h.deps, { route: 'metricsRequest', request: { id: 'x-1', replyTo, scope: 'pods' } });
    const list = JSON.parse(
      h.replies
        .filter((c) => !c.end)
        .map((c) => c.data)
        .join(''),
    );
    assert.equal(list.kind, 'PodMetricsList');
    assert.equal(list.items[0].metadata.name, 'web');
    const app = list.items[0].containers.find((c: any) => c.name === 'app');
    assert.deepEqual(app.usage, { cpu: '250000000n', memory: '4096Ki' });
    assert.equal(h.replies.at(-1)?.end, true);
  });

  it('answers node usage as a NodeMetricsList', async () => {
    const h = await harness();
    await handleRequest(h.deps, { route: 'metricsRequest', request: { id: 'x-1', replyTo, scope: 'node' } });
    const list = JSON.parse(h.replies[0]!.data!);
    assert.equal(list.kind, 'NodeMetricsList');
    assert.deepEqual(list.items[0].usage, { cpu: '0n', memory: '2Ki' });
    assert.equal(list.items[0].metadata.name, 'gw-1');
  });
});

describe('agent attach and port-forward requests', () => {
  it('forwards a port: bytes sent before the connection exists are held, not lost', async () => {
    const h = await harness();
    h.runtime.onPortForward((sandbox, port) =>
      sandbox.metadata.name === 'web' && port === 8080
        ? async (input, write) => {
            for await (const data of input) write(Buffer.from(`echo:${data.toString()}`));
          }
        : undefined,
    );
    const done = h.forward(8080);
    // The hub does not wait for the connection: the first bytes may come before it is made.
    h.stdin({ seq: 0, data: 'early' });
    await eventually(() => text(h.replies, 'data') === 'echo:early');
    h.stdin({ seq: 1, data: 'late', end: true });
    await done;
    assert.equal(text(h.replies, 'data'), 'echo:earlyecho:late');
    assert.deepEqual(h.replies[0], { id: 'x-1', seq: 0, inputBytes: 0 }, 'the first chunk says connected');
    assert.deepEqual(h.replies.at(-1), { id: 'x-1', seq: h.replies.length - 1, end: true });
  });

  it('ends a port-forward with the runtime error when nothing listens on the port', async () => {
    const h = await harness();
    await h.forward(9999);
    assert.equal(h.replies.length, 1);
    assert.match(h.replies[0]!.error ?? '', /failed to connect to localhost:9999 .*connection refused/);
  });

  it("attaches to the container's console: its output, and the end when it exits", async () => {
    const h = await harness();
    const done = h.attach();
    await eventually(() => h.replies.length > 0);
    await h.runtime.emitLog(h.ids.app!, 'stdout', 'from the process');
    await eventually(() => text(h.replies, 'stdout') === 'from the process\n');
    h.runtime.exitContainer(h.ids.app!, 0);
    await done;
    assert.deepEqual(h.replies.at(-1), { id: 'x-1', seq: h.replies.length - 1, end: true, exitCode: 0 });
  });
});
