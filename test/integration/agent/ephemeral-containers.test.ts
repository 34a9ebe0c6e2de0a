import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { silentLogger } from '../../../api/logger.js';
import { type RunningAgent, startAgent } from '../../../edge-agent/agent.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { execQuery, openExec } from '../../helpers/exec-client.js';
import { tempDir } from '../../helpers/hub-process.js';
import { Kubectl } from '../../helpers/kubectl.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const node = 'gw-debug';
const image = 'docker.io/library/busybox:1.36';
const pods = '/api/v1/namespaces/default/pods';
const smp = 'application/strategic-merge-patch+json';

describe('ephemeral containers end to end on an in-process hub and a fake-runtime gateway', function () {
  this.timeout(30_000);
  const agentDir = tempDir('debug-gw');
  const runtime = new FakeRuntime();
  let t: TestHub;
  let agent: RunningAgent | undefined;

  const start = async () => {
    agent = await startAgent({
      hubUrl: t.hub.mqtt.mqttUrl,
      token: readFileSync(`${t.dataDir}/node-token`, 'utf8').trim(),
      nodeName: node,
      dataDir: agentDir,
      runtime: { kind: 'instance', runtime },
      timing: { heartbeatMs: 200, statusCheckMs: 500, reconnect: { initialMs: 100, maxMs: 400, jitter: 0 } },
      log: silentLogger,
    });
  };
  const instances = async (name: string) => (await runtime.listContainers()).filter((c) => c.name === name);
  const running = (name: string) =>
    eventually(async () => (await instances(name)).find((c) => c.state === 'RUNNING'));
  const pod = async () => (await t.api.get(`${pods}/web`)).json();
  const debugStatus = async (name: string) =>
    ((await pod()).status?.ephemeralContainerStatuses ?? []).find((s: { name: string }) => s.name === name);
  const addDebugger = async (container: Record<string, unknown>) => {
    const res = await t.api.patch(
      `${pods}/web/ephemeralcontainers`,
      { spec: { ephemeralContainers: [{ image, terminationMessagePolicy: 'File', ...container }] } },
      smp,
    );
    assert.equal(res.status, 200, res.text);
  };

  before(async () => {
    t = await startTestHub();
    await start();
    const res = await t.api.post(pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: node, containers: [{ name: 'main', image, command: ['sleep', '3601'] }] },
    });
    assert.equal(res.status, 201, res.text);
    await running('main');
  });

  after(async () => {
    await agent?.stop();
    await t.close();
    rmSync(agentDir, { recursive: true, force: true });
  });

  it("starts a debugger in the target's process namespace with stdin and tty, and reports it Running", async () => {
    await addDebugger({
      name: 'dbg',
      command: ['sh', '-c', 'ps'],
      targetContainerName: 'main',
      stdin: true,
      tty: true,
    });
    const dbg = await running('dbg');
    const main = await running('main');
    const config = runtime.containerConfig(dbg!.id);
    assert.equal(config?.targetContainerId, main!.id);
    assert.deepEqual([config?.stdin, config?.tty], [true, true]);
    assert.equal(dbg!.podSandboxId, main!.podSandboxId);
    const status = await eventually(async () => {
      const found = await debugStatus('dbg');
      return found?.state?.running ? found : undefined;
    });
    assert.equal(status.containerID, `fake://${dbg!.id}`);
    assert.equal(status.ready, false);
  });

  it("answers kubectl exec -c dbg there, seeing the target's processes", async () => {
    const conn = await openExec({
      apiUrl: t.hub.apiUrl,
      ca: t.hub.caPem,
      token: t.hub.adminToken,
      path: `${pods}/web/exec?${execQuery(['ps'], { container: 'dbg' })}`,
    });
    const outcome = await conn.done;
    assert.equal(outcome.status.status, 'Success');
    assert.match(outcome.stdout, /sleep 3601/);
  });

  it('reports it Terminated with its exit code once it ends, and serves its log with -c', async () => {
    const dbg = await running('dbg');
    await runtime.emitLog(dbg!.id, 'stdout', 'PID   USER     COMMAND');
    await runtime.emitLog(dbg!.id, 'stdout', '    1 root     sleep 3601');
    runtime.exitContainer(dbg!.id, 0);
    const status = await eventually(async () => {
      const found = await debugStatus('dbg');
      return found?.state?.terminated ? found : undefined;
    });
    assert.equal(status.state.terminated.exitCode, 0);
    assert.equal(status.state.terminated.reason, 'Completed');
    const log = await t.api.get(`${pods}/web/log?container=dbg`);
    assert.equal(log.status, 200, log.text);
    assert.equal(log.text, 'PID   USER     COMMAND\n    1 root     sleep 3601\n');
    assert.equal((await pod()).status.phase, 'Running');
  });

  it('kubectl debug -i attaches to the debugger once it runs: input in, output back', async () => {
    const kubectl = new Kubectl(t.hub.kubeconfigPath).interactive([
      'debug',
      '-i',
      'web',
      `--image=${image}`,
      '--target=main',
      '-c',
      'console',
      '--',
      'sh',
    ]);
    try {
      const console = await running('console');
      assert.equal(runtime.containerConfig(console!.id)?.stdin, true);
      // The fake's console echoes its input like cat: the line went in and came back.
      kubectl.type('typed into the debugger\n');
      await eventually(() => kubectl.output().includes('typed into the debugger\n'));
      runtime.exitContainer(console!.id, 0);
      assert.equal(await kubectl.exited, 0, kubectl.output());
    } finally {
      kubectl.kill();
    }
  });

  it('never starts it again, not after an agent restart either', async () => {
    await agent!.stop();
    await start();
    // A second debugger is planned in the same pass as the first would be: once it runs, the
    // restarted agent has planned the pod.
    // (A sleep: a shell without stdin ends at once, in the fake as in busybox.)
    await addDebugger({ name: 'dbg2', command: ['sleep', '3600'] });
    await running('dbg2');
    assert.deepEqual(
      (await instances('dbg')).map((c) => [c.state, c.exitCode]),
      [['EXITED', 0]],
    );
    assert.equal((await running('dbg2'))!.attempt, 0);
    const config = runtime.containerConfig((await running('dbg2'))!.id);
    assert.equal(config?.targetContainerId, undefined);
  });
});
