// A real hub (all controllers) and two `--runtime fake` gateways in process: fake containers run
// their commands, so a Job completes and a crashing container backs off; each gateway's pod IPs
// come from its own Node's podCIDR; readiness probes are answered in memory; kubectl cp works
// both ways with real kubectl.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inIPv4Cidr } from '../../../api/ipv4.js';
import { silentLogger } from '../../../api/logger.js';
import { type RunningAgent, startAgent } from '../../../edge-agent/agent.js';
import type { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { Kubectl, kubectlOf } from '../../helpers/kubectl.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const image = 'docker.io/library/busybox:1.36';
const ns = '/api/v1/namespaces/default';
const gateways = ['gw-fake-a', 'gw-fake-b'];

describe('fake-runtime gateways behave like real ones', function () {
  this.timeout(60_000);
  let t: TestHub;
  const agents: RunningAgent[] = [];
  const dirs = gateways.map((name) => tempDir(`fake-gw-${name}`));
  const work = tempDir('fake-gw-cp');

  const createPod = async (name: string, node: string, container: object, spec: object = {}) => {
    const res = await t.api.post(`${ns}/pods`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { nodeName: node, containers: [{ name: 'main', image, ...container }], ...spec },
    });
    assert.equal(res.status, 201, res.text);
  };
  const pod = async (name: string) => (await t.api.get(`${ns}/pods/${name}`)).json();
  const ready = (p: { status?: { conditions?: { type: string; status: string }[] } }) =>
    p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  const podCidrOf = async (node: string) =>
    eventually(async () => (await t.api.get(`/api/v1/nodes/${node}`)).json().spec?.podCIDR as string);

  before(async () => {
    t = await startTestHub(undefined, { controllers: 'all' });
    const token = readFileSync(`${t.dataDir}/node-token`, 'utf8').trim();
    for (const [i, nodeName] of gateways.entries()) {
      agents.push(
        await startAgent({
          hubUrl: t.hub.mqtt.mqttUrl,
          token,
          nodeName,
          dataDir: dirs[i] as string,
          runtime: { kind: 'fake' },
          timing: {
            heartbeatMs: 200,
            statusCheckMs: 500,
            reconnect: { initialMs: 100, maxMs: 400, jitter: 0 },
          },
          log: silentLogger,
        }),
      );
    }
  });

  after(async () => {
    for (const agent of agents) await agent.stop();
    await t.close();
    for (const dir of [...dirs, work]) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a Job to completion, with its output in the pod log', async () => {
    const res = await t.api.post('/apis/batch/v1/namespaces/default/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once' },
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [
              { name: 'main', image, command: ['sh', '-c', 'echo working; sleep 1 && echo done'] },
            ],
          },
        },
      },
    });
    assert.equal(res.status, 201, res.text);
    const job = await eventually(
      async () => {
        const body = (await t.api.get('/apis/batch/v1/namespaces/default/jobs/once')).json();
        // The controller may count the success a write before it adds the Complete condition.
        const complete = (body.status?.conditions ?? []).some((c: { type: string }) => c.type === 'Complete');
        return body.status?.succeeded === 1 && complete ? body : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.equal(job.status.failed ?? 0, 0);
    const pods = (await t.api.get(`${ns}/pods?labelSelector=job-name%3Donce`)).json().items;
    assert.equal(pods.length, 1);
    assert.equal(pods[0].status.phase, 'Succeeded');
    assert.equal(pods[0].status.containerStatuses[0].state.terminated.reason, 'Completed');
    const log = await t.api.get(`${ns}/pods/${pods[0].metadata.name}/log`);
    assert.equal(log.text, 'working\ndone\n');
  });

  it('backs a crashing container off: restarts counted, CrashLoopBackOff, its exit code kept', async () => {
    await createPod('crasher', 'gw-fake-b', { command: ['sh', '-c', 'echo crashing >&2; exit 3'] });
    const status = await eventually(
      async () => {
        const found = (await pod('crasher')).status?.containerStatuses?.[0];
        return found?.state?.waiting?.reason === 'CrashLoopBackOff' ? found : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.ok(status.restartCount >= 1, JSON.stringify(status));
    assert.equal(status.lastState.terminated.exitCode, 3);
    assert.equal(status.lastState.terminated.reason, 'Error');
    assert.match(
      status.state.waiting.message,
      /^back-off \d+s restarting failed container=main pod=crasher_default/,
    );
    assert.equal((await t.api.get(`${ns}/pods/crasher/log?previous=true`)).text, 'crashing\n');
  });

  it("gives each gateway's pods IPs from its own podCIDR, a deleted pod's IP free again", async () => {
    const [cidrA, cidrB] = [await podCidrOf('gw-fake-a'), await podCidrOf('gw-fake-b')];
    assert.notEqual(cidrA, cidrB);
    const loop = { command: ['sh', '-c', 'while true; do echo tick; sleep 5; done'] };
    await createPod('ip-a', 'gw-fake-a', loop);
    await createPod('ip-b', 'gw-fake-b', loop);
    const ipOf = (name: string) =>
      eventually(async () => (await pod(name)).status?.podIP as string | undefined, { timeoutMs: 20_000 });
    const [ipA, ipB] = [await ipOf('ip-a'), await ipOf('ip-b')];
    assert.ok(ipA && cidrA && inIPv4Cidr(ipA, cidrA), `${ipA} not in ${cidrA}`);
    assert.ok(ipB && cidrB && inIPv4Cidr(ipB, cidrB), `${ipB} not in ${cidrB}`);
    await t.api.delete(`${ns}/pods/ip-a?gracePeriodSeconds=0`);
    await eventually(async () => (await t.api.get(`${ns}/pods/ip-a`)).status === 404, { timeoutMs: 20_000 });
    // host-local hands out the next address after the last one: a new pod gets a fresh one.
    await createPod('ip-a2', 'gw-fake-a', loop);
    const ipA2 = await ipOf('ip-a2');
    assert.ok(ipA2 && inIPv4Cidr(ipA2, cidrA) && ipA2 !== ipA, `${ipA2} after ${ipA} in ${cidrA}`);
    // gracePeriodSeconds=0 removes the object at once; the gateway tears the sandbox down after.
    const runtime = agents[0]?.runtime as FakeRuntime;
    const held = async () => (await runtime.listPodSandboxes()).map((sandbox) => sandbox.ip);
    await eventually(async () => ((ips) => ips.includes(ipA2) && !ips.includes(ipA))(await held()), {
      timeoutMs: 20_000,
    }).catch(async () =>
      assert.fail(`the deleted pod kept its address: ${ipA} in ${(await held()).join(', ')}`),
    );
  });

  it('passes an HTTP readiness probe in memory, nothing listening at the pod IP, and refuses an undeclared port', async () => {
    const probe = (port: number) => ({ httpGet: { path: '/healthz', port }, periodSeconds: 1 });
    const server = { command: ['sleep', '3600'], ports: [{ containerPort: 8080 }] };
    await createPod('web', 'gw-fake-a', { ...server, readinessProbe: probe(8080) });
    await createPod('deaf', 'gw-fake-a', { ...server, readinessProbe: probe(9090) });
    // Nothing anywhere serves the pod IP (a 10.42 address on no interface of this machine): a
    // dialled probe could not pass, and one to a silent address would time out, not be refused.
    const web = await eventually(async () => ((p) => (ready(p) ? p : undefined))(await pod('web')), {
      timeoutMs: 20_000,
    });
    assert.ok(inIPv4Cidr(web.status.podIP, await podCidrOf('gw-fake-a')));
    const ip = await eventually(async () => (await pod('deaf')).status?.podIP as string | undefined);
    const unhealthy = await eventually(
      async () => {
        const events = (await t.api.get(`${ns}/events`)).json().items as {
          reason: string;
          message: string;
          involvedObject: { name: string };
        }[];
        return events.find((e) => e.reason === 'Unhealthy' && e.involvedObject.name === 'deaf');
      },
      { timeoutMs: 20_000 },
    );
    assert.equal(
      unhealthy?.message,
      `Readiness probe failed: Get "http://${ip}:9090/healthz": dial tcp ${ip}:9090: connect: connection refused`,
    );
    assert.equal(ready(await pod('deaf')), false);
  });

  for (const minor of [27, 33]) {
    const bin = kubectlOf(minor);
    it(`copies files and directories into and out of a fake container with kubectl 1.${minor} cp`, async function () {
      if (!bin) this.skip();
      const kubectl = new Kubectl(t.hub.kubeconfigPath, bin);
      const name = `cp-${minor}`;
      await createPod(name, 'gw-fake-b', { command: ['sleep', '3600'] });
      await eventually(async () => (await pod(name)).status?.phase === 'Running', { timeoutMs: 20_000 });
      const local = join(work, `${minor}`);
      mkdirSync(join(local, 'conf', 'nested'), { recursive: true });
      writeFileSync(join(local, 'hello.txt'), `hello from kubectl 1.${minor}\n`);
      writeFileSync(join(local, 'conf', 'nested', 'app.ini'), 'mode = edge\n');

      await kubectl.ok(['cp', join(local, 'hello.txt'), `${name}:/tmp/hello.txt`]);
      await kubectl.ok(['cp', join(local, 'conf'), `${name}:/etc/app`]);
      assert.equal(
        await kubectl.ok(['exec', name, '--', 'cat', '/tmp/hello.txt']),
        `hello from kubectl 1.${minor}\n`,
      );
      assert.equal(await kubectl.ok(['exec', name, '--', 'cat', '/etc/app/nested/app.ini']), 'mode = edge\n');

      await kubectl.ok([
        'exec',
        name,
        '--',
        'sh',
        '-c',
        'mkdir -p /data/out && echo made in the pod > /data/out/r.txt',
      ]);
      await kubectl.ok(['cp', `${name}:/tmp/hello.txt`, join(local, 'back.txt')]);
      await kubectl.ok(['cp', `${name}:/data/out`, join(local, 'out')]);
      assert.equal(readFileSync(join(local, 'back.txt'), 'utf8'), `hello from kubectl 1.${minor}\n`);
      assert.equal(readFileSync(join(local, 'out', 'r.txt'), 'utf8'), 'made in the pod\n');

      // tar in the pod fails and sends an empty archive; kubectl's exit code then races its
      // reading of the archive, so only the outcome is certain: nothing is copied.
      await kubectl.run(['cp', `${name}:/no/such/file`, join(local, 'none.txt')]);
      assert.equal(existsSync(join(local, 'none.txt')), false);
    });
  }
});
