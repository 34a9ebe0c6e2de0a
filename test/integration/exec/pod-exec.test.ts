import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import https from 'node:https';
import type { RunningAgent } from '../../../edge-agent/agent.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { execQuery, openExec, UpgradeRefused } from '../../helpers/exec-client.js';
import { tempDir } from '../../helpers/hub-process.js';
import { Kubectl, kubectlOf } from '../../helpers/kubectl.js';
import { startFakeGateway, startTestHub, type TestHub } from '../../helpers/test-hub.js';

const node = 'gw-exec';
const image = 'docker.io/library/busybox:1.36';

describe('kubectl exec through the hub, over MQTT, with the fake runtime', function () {
  this.timeout(30_000);
  const agentDir = tempDir('exec-gw');
  const runtime = new FakeRuntime();
  let t: TestHub;
  let agent: RunningAgent | undefined;

  const createPod = async (name: string, containers: string[], nodeName = node, spec: object = {}) => {
    const res = await t.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: {
        ...(nodeName !== '' ? { nodeName } : {}),
        containers: containers.map((c) => ({
          name: c,
          image,
          env: [{ name: 'GREETING', value: 'hi there' }],
        })),
        ...spec,
      },
    });
    assert.equal(res.status, 201, res.text);
  };
  const runningContainer = (pod: string, name: string) =>
    eventually(async () => {
      const sandbox = (await runtime.listPodSandboxes()).find((s) => s.metadata.name === pod);
      return (await runtime.listContainers()).find(
        (c) => c.podSandboxId === sandbox?.id && c.name === name && c.state === 'RUNNING',
      );
    });
  /** Waits until the agent reports the pod, so that it answers exec requests for it. */
  const reported = (pod: string) =>
    eventually(() => agent!.podManager.runningPods().some((p) => p.pod.metadata.name === pod));
  const exec = (
    pod: string,
    command: string[],
    flags: Record<string, string | boolean> = {},
    token = t.hub.adminToken,
  ) =>
    openExec({
      apiUrl: t.hub.apiUrl,
      ca: t.hub.caPem,
      token,
      path: `/api/v1/namespaces/default/pods/${pod}/exec?${execQuery(command, flags)}`,
    });
  const refusal = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => assert.fail('the upgrade was accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof UpgradeRefused, String(err));
    return err;
  };

  before(async () => {
    t = await startTestHub();
    agent = await startFakeGateway(t, node, runtime, agentDir);
    await createPod('web', ['app']);
    await runningContainer('web', 'app');
    await reported('web');
  });

  after(async () => {
    await agent?.stop();
    await t.close();
    rmSync(agentDir, { recursive: true, force: true });
  });

  it('runs a command and answers its stdout and a Success status over v5.channel.k8s.io', async () => {
    const conn = await exec('web', ['echo', 'hello', 'world']);
    assert.equal(conn.protocol, 'v5.channel.k8s.io');
    const outcome = await conn.done;
    assert.equal(outcome.stdout, 'hello world\n');
    assert.equal(outcome.stderr, '');
    assert.equal(outcome.status.status, 'Success');
  });

  it('answers stderr and a NonZeroExitCode status with the exit code as its cause', async () => {
    const outcome = await (await exec('web', ['sh', '-c', 'echo $GREETING; echo oops >&2; exit 3'])).done;
    assert.equal(outcome.stdout, 'hi there\n');
    assert.equal(outcome.stderr, 'oops\n');
    assert.equal(outcome.status.reason, 'NonZeroExitCode');
    assert.deepEqual(outcome.status.details.causes, [{ reason: 'ExitCode', message: '3' }]);
  });

  it('relays stdin until the client closes it (v5 close signal), then ends with the exit code', async () => {
    const conn = await exec('web', ['cat'], { stdin: true });
    conn.write('first line\n');
    await eventually(() => conn.output().stdout === 'first line\n');
    conn.write('second line\n');
    conn.closeStdin();
    const outcome = await conn.done;
    assert.equal(outcome.stdout, 'first line\nsecond line\n');
    assert.equal(outcome.status.status, 'Success');
  });

  it('passes terminal resizes on to the runtime with -t', async () => {
    const conn = await exec('web', ['cat'], { stdin: true, tty: true, stderr: false });
    conn.resize(120, 40);
    conn.write('typed\n');
    await eventually(() => conn.output().stdout === 'typed\n');
    assert.deepEqual(runtime.execSessions.at(-1)?.size, { width: 120, height: 40 });
    conn.closeStdin();
    assert.equal((await conn.done).status.status, 'Success');
  });

  it('also speaks v4.channel.k8s.io (no close signal: the client hangs up instead)', async () => {
    const conn = await openExec({
      apiUrl: t.hub.apiUrl,
      ca: t.hub.caPem,
      token: t.hub.adminToken,
      path: `/api/v1/namespaces/default/pods/web/exec?${execQuery(['false'])}`,
      protocols: ['v4.channel.k8s.io'],
    });
    assert.equal(conn.protocol, 'v4.channel.k8s.io');
    assert.deepEqual((await conn.done).status.details.causes, [{ reason: 'ExitCode', message: '1' }]);
  });

  it('reports a command that does not exist as exit code 127 with the runtime message on stderr', async () => {
    const outcome = await (await exec('web', ['no-such-tool'])).done;
    assert.match(outcome.stderr, /exec: "no-such-tool": executable file not found in \$PATH/);
    assert.deepEqual(outcome.status.details.causes, [{ reason: 'ExitCode', message: '127' }]);
  });

  it('cancels the command on the gateway when the client hangs up', async () => {
    const conn = await exec('web', ['sleep', '30'], { stdin: true });
    await eventually(() => agent!.link.requests.size === 1);
    conn.hangUp();
    await eventually(() => agent!.link.requests.size === 0);
  });

  it('refuses a request without a valid token with 401', async () => {
    const err = await refusal(exec('web', ['true'], {}, 'not-the-token'));
    assert.equal(err.status, 401);
    assert.equal(err.body.reason, 'Unauthorized');
  });

  it('answers the checks of kube-apiserver as Status errors before upgrading', async () => {
    const missing = await refusal(exec('nope', ['true']));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'pods "nope" not found');
    const noCommand = await refusal(exec('web', []));
    assert.equal(noCommand.status, 400);
    assert.equal(noCommand.body.message, 'you must specify at least 1 command');
    const badContainer = await refusal(exec('web', ['true'], { container: 'other' }));
    assert.equal(badContainer.status, 400);
    assert.equal(badContainer.body.message, 'container other is not valid for pod web');
    await createPod('pending', ['app'], '');
    const unbound = await refusal(exec('pending', ['true']));
    assert.equal(unbound.body.message, 'pod pending does not have a host assigned');
  });

  it('answers 400 when the container is not running on the gateway', async () => {
    // Two containers and no restarts: the pod keeps running while one of them has exited.
    await createPod('stopped', ['app', 'side'], node, { restartPolicy: 'Never' });
    const app = await runningContainer('stopped', 'app');
    await reported('stopped');
    runtime.exitContainer(app!.id, 2);
    const err = await refusal(exec('stopped', ['true'], { container: 'app' }));
    assert.equal(err.status, 400);
    assert.equal(
      err.body.message,
      'container app in pod default/stopped is not running (it exited with code 2, Error)',
    );
  });

  it('answers a plain request without an Upgrade header with 400', async () => {
    const res = await t.api.post(`/api/v1/namespaces/default/pods/web/exec?${execQuery(['true'])}`, '');
    assert.equal(res.status, 400);
    assert.equal(res.json().message, 'Upgrade request required');
  });

  it('serves kubectl exec, with stdin piped through -i', async () => {
    const kubectl = new Kubectl(t.hub.kubeconfigPath);
    const echo = await kubectl.run(['exec', 'web', '--', 'echo', 'from', 'kubectl']);
    assert.equal(echo.stdout, 'from kubectl\n', echo.stderr);
    assert.equal(echo.code, 0);
    const failing = await kubectl.run(['exec', 'web', '--', 'sh', '-c', 'echo bad >&2; exit 4']);
    assert.equal(failing.code, 4);
    assert.match(failing.stderr, /^bad\ncommand terminated with exit code 4\n$/);
    const piped = await kubectl.run(['exec', '-i', 'web', '--', 'cat'], 'piped input\n');
    assert.equal(piped.stdout, 'piped input\n', piped.stderr);
    assert.equal(piped.code, 0);
  });

  it('serves kubectl 1.27 exec, which speaks SPDY/3.1: output, exit code, stdin to EOF', async function () {
    const bin = kubectlOf(27);
    if (!bin) return this.skip();
    const kubectl = new Kubectl(t.hub.kubeconfigPath, bin);
    const echo = await kubectl.run(['exec', 'web', '--', 'echo', 'over', 'spdy']);
    assert.equal(echo.stdout, 'over spdy\n', echo.stderr);
    assert.equal(echo.code, 0);
    const failing = await kubectl.run(['exec', 'web', '--', 'sh', '-c', 'echo bad >&2; exit 5']);
    assert.equal(failing.code, 5);
    assert.match(failing.stderr, /^bad\ncommand terminated with exit code 5\n$/);
    const piped = await kubectl.run(['exec', '-i', 'web', '--', 'cat'], 'piped over spdy\n');
    assert.equal(piped.stdout, 'piped over spdy\n', piped.stderr);
    assert.equal(piped.code, 0);
  });

  it('stops a command at kubectl --request-timeout and says the deadline was exceeded', async () => {
    const kubectl = new Kubectl(t.hub.kubeconfigPath);
    // client-go puts --request-timeout in the exec URL as `timeout`; the gateway enforces it.
    const slow = await kubectl.run(['exec', '--request-timeout=1s', 'web', '--', 'sleep', '20']);
    assert.equal(slow.code, 1);
    assert.equal(
      slow.stderr,
      'error: deadline exceeded: "sleep 20" did not finish within 1s and was stopped\n',
    );
  });

  it("asks the gateway for its own and its pods' usage (for a later kubectl top)", async () => {
    const app = await runningContainer('web', 'app');
    runtime.setUsage(app!.id, { nanoCores: 120_000_000, memoryBytes: 3 * 1024 * 1024 });
    const pods = (await t.hub.mqtt.requests.metrics(node, 'pods')) as any;
    assert.equal(pods.kind, 'PodMetricsList');
    const web = pods.items.find((p: any) => p.metadata.name === 'web');
    assert.deepEqual(web.containers, [{ name: 'app', usage: { cpu: '120000000n', memory: '3072Ki' } }]);
    const nodeUsage = (await t.hub.mqtt.requests.metrics(node, 'node')) as any;
    assert.equal(nodeUsage.items[0].metadata.name, node);
    assert.match(nodeUsage.items[0].usage.cpu, /^\d+n$/);
    assert.match(nodeUsage.items[0].usage.memory, /^[1-9]\d*Ki$/);
  });

  it('answers 503 for a gateway that never connected', async () => {
    await createPod('elsewhere', ['app'], 'gw-never');
    const err = await refusal(exec('elsewhere', ['true']));
    assert.equal(err.status, 503);
    assert.equal(err.body.message, 'gateway gw-never has not connected to the hub');
  });

  it('says the gateway is unreachable to a SPDY client too, not only that SPDY is not spoken', async () => {
    const url = new URL(
      `/api/v1/namespaces/default/pods/elsewhere/exec?${execQuery(['true'])}`,
      t.hub.apiUrl,
    );
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request(url, {
        ca: t.hub.caPem,
        headers: {
          Authorization: `Bearer ${t.hub.adminToken}`,
          Connection: 'Upgrade',
          Upgrade: 'SPDY/3.1',
          'X-Stream-Protocol-Version': 'v4.channel.k8s.io',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    assert.equal(answer.status, 503);
    assert.equal(JSON.parse(answer.body).message, 'gateway gw-never has not connected to the hub');
  });
});
