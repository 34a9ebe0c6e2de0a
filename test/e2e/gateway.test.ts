// The whole path on real components: the hub process, a gateway (network namespace with its
// own containerd, images built locally), the `flotilla agent` process joined over MQTT, and real
// kubectl 1.32 driving pods onto the gateway. The agent runs inside the gateway's netns, as on a
// real gateway: containerd's exec streaming server listens on the netns' loopback, and the agent
// reaches the hub over the bridge, like a gateway over its uplink.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { containerdPaths } from '../../edge-agent/runtime/containerd-config.js';
import { missingPythonClient, skipTestUnless } from '../helpers/environment.js';
import { eventually } from '../helpers/eventually.js';
import { HOST_BRIDGE_SUBNET } from '../helpers/gateway-netns.js';
import { exited, flotillaBin, type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl, kubectlBin, kubectlOf } from '../helpers/kubectl.js';
import {
  skipUnlessRuntimeHost,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../helpers/test-gateway-runtime.js';

const node = 'gw-e2e-1';
/** The host's address on the gateway bridge (x.y.z.1 of its /24). */
const hostBridgeAddress = HOST_BRIDGE_SUBNET.replace(/\.0\/24$/, '.1');

function startAgent(
  hub: HubProcess,
  gw: TestGatewayRuntime,
  dataDir: string,
): { child: ChildProcess; output: () => string } {
  // The hub listens on the host end of the gateway bridge; the agent dials it from the netns.
  const hubFromGateway = hub.mqttUrl.replace('//127.0.0.1:', `//${hostBridgeAddress}:`);
  const child = spawn(
    'nsenter',
    [
      `--net=${gw.gateway.netnsPath}`,
      process.execPath,
      flotillaBin,
      'agent',
      '--hub',
      hubFromGateway,
      '--token',
      hub.nodeToken,
      '--node-name',
      node,
      '--data-dir',
      dataDir,
      '--runtime-endpoint',
      gw.containerd.endpoint,
      // Pod IPs from the Node's podCIDR (the hub refuses others), as test/helpers/netns-agent.ts.
      '--cni-conf-dir',
      containerdPaths(gw.dataDir).cniConfDir,
      '--pause-image',
      gw.pauseImage,
      '--node-labels',
      'flotilla.io/site=hall-3',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { child, output: () => out };
}

function manifest(busybox: string): string {
  return `apiVersion: v1
kind: Secret
metadata: {name: app-secret, namespace: default}
stringData: {PASSWORD: s3cret}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: default}
data: {greeting: hello-from-configmap}
---
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: default}
spec:
  terminationGracePeriodSeconds: 2
  initContainers:
    - name: prepare
      image: ${busybox}
      command: [sh, -c, 'echo prepared > /work/state']
      volumeMounts: [{name: work, mountPath: /work}]
  containers:
    - name: main
      image: ${busybox}
      command: [sh, -c, 'cat /work/state; cat /config/greeting; echo; echo "password=$PASSWORD"; exec sleep 3600']
      env:
        - name: PASSWORD
          valueFrom: {secretKeyRef: {name: app-secret, key: PASSWORD}}
      volumeMounts:
        - {name: work, mountPath: /work}
        - {name: config, mountPath: /config}
  volumes:
    - {name: work, emptyDir: {}}
    - {name: config, configMap: {name: app-config}}
---
apiVersion: v1
kind: Pod
metadata: {name: flaky, namespace: default}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: ${busybox}
      command: [sleep, '3600']
      livenessProbe:
        exec: {command: ['false']}
        periodSeconds: 1
        failureThreshold: 1
`;
}

describe('a real gateway joined to the hub, driven by kubectl', function () {
  this.timeout(120_000);
  let hub: HubProcess;
  let gw: TestGatewayRuntime;
  let agent: { child: ChildProcess; output: () => string } | undefined;
  let agentDir: string;
  let kubectl: Kubectl;

  before(async function () {
    skipUnlessRuntimeHost(this);
    // The gateway first: its bridge must exist before the hub binds to the bridge address.
    gw = await startTestGatewayRuntime('e2egw');
    hub = await startHubProcess(undefined, ['--bind', hostBridgeAddress]);
    agentDir = mkdtempSync(join(tmpdir(), 'flotilla-agent-'));
    agent = startAgent(hub, gw, agentDir);
    kubectl = new Kubectl(hub.kubeconfig);
  });

  after(async () => {
    if (agent && agent.child.exitCode === null) {
      agent.child.kill('SIGKILL');
      await exited(agent.child);
    }
    await gw?.teardown();
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
    if (agentDir) rmSync(agentDir, { recursive: true, force: true });
  });

  it('shows the gateway Ready with real capacity and its labels', async () => {
    await eventually(
      async () => {
        const out = await kubectl.ok(['get', 'node', node, '--no-headers']);
        return /\sReady\s/.test(out);
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\nagent output:\n${agent?.output()}`);
    });
    const n = JSON.parse(await kubectl.ok(['get', 'node', node, '-o', 'json']));
    assert.ok(Number(n.status.capacity.cpu) >= 1);
    assert.match(n.status.capacity.memory, /^\d+Ki$/);
    assert.equal(n.metadata.labels['flotilla.io/site'], 'hall-3');
    assert.equal(n.metadata.labels['kubernetes.io/hostname'], node);
    assert.equal(n.status.nodeInfo.containerRuntimeVersion.startsWith('containerd://'), true);
  });

  it('runs a pod with an init container, a config map volume and env from a secret', async () => {
    await kubectl.ok(['apply', '-f', '-'], manifest(gw.busyboxImage));
    const pod = await eventually(
      async () => {
        const p = JSON.parse(await kubectl.ok(['get', 'pod', 'app', '-o', 'json']));
        return p.status?.phase === 'Running' &&
          p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')
          ? p
          : false;
      },
      { timeoutMs: 40_000, intervalMs: 250 },
    );
    assert.equal(pod.spec.nodeName, node, 'the scheduler placed it on the gateway');
    assert.match(pod.status.podIP, /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(pod.status.initContainerStatuses[0].state.terminated.exitCode, 0);
    assert.match(pod.status.containerStatuses[0].containerID, /^containerd:\/\//);
    const table = await kubectl.ok(['get', 'pod', 'app', '-o', 'wide']);
    // NAME READY STATUS RESTARTS AGE LAST-SEEN IP NODE: STATUS one word, the IP and node wide.
    const ip = pod.status.podIP.replaceAll('.', '\\.');
    assert.match(table, new RegExp(`app\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+\\S+\\s+${ip}\\s+${node}\\s`));
  });

  it('shows the container output with kubectl logs, carried over MQTT', async () => {
    const logs = await eventually(
      async (): Promise<string> => {
        const out = await kubectl.ok(['logs', 'app', '-c', 'main']);
        if (!out.includes('password=')) throw new Error(`no output yet: ${JSON.stringify(out)}`);
        return out;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    assert.deepEqual(logs.trim().split('\n'), ['prepared', 'hello-from-configmap', 'password=s3cret']);
    const tail = await kubectl.ok(['logs', 'app', '--tail=1']);
    assert.equal(tail.trim(), 'password=s3cret');
  });

  it('runs kubectl exec in the container: the config map value, read through ExecSync', async () => {
    const started = performance.now();
    const greeting = await kubectl.run(['exec', 'app', '-c', 'main', '--', 'cat', '/config/greeting']);
    const ms = performance.now() - started;
    assert.equal(greeting.code, 0, greeting.stderr);
    assert.equal(greeting.stdout, 'hello-from-configmap');
    console.log(
      `      kubectl exec … cat (kubectl process, hub, MQTT, agent, CRI ExecSync): ${ms.toFixed(0)} ms`,
    );
  });

  it("mounts the pod's ServiceAccount token, the CA and the namespace, read-only, the token valid for the pod", async () => {
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    const read = (file: string) => kubectl.ok(['exec', 'app', '-c', 'main', '--', 'cat', `${dir}/${file}`]);
    assert.equal(await read('namespace'), 'default');
    assert.equal(await read('ca.crt'), readFileSync(join(hub.dataDir, 'pki', 'ca.crt'), 'utf8'));
    const token = await read('token');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    const uid = await kubectl.ok(['get', 'pod', 'app', '-o', 'jsonpath={.metadata.uid}']);
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'app', uid });
    assert.equal(claims['kubernetes.io'].node.name, node);
    const who = await kubectl.ok(['--token', token, 'auth', 'whoami', '-o', 'json']);
    const user = JSON.parse(who).status.userInfo;
    assert.equal(user.username, 'system:serviceaccount:default:default');
    assert.deepEqual(user.extra['authentication.kubernetes.io/pod-uid'], [uid]);
    const write = await kubectl.run(['exec', 'app', '-c', 'main', '--', 'sh', '-c', `echo x > ${dir}/token`]);
    assert.notEqual(write.code, 0, 'the volume is mounted read-only');
  });

  it('gives kubectl exec the exit code and stderr of a failing command', async () => {
    const failed = await kubectl.run(['exec', 'app', '-c', 'main', '--', 'sh', '-c', 'echo err >&2; exit 3']);
    assert.equal(failed.code, 3);
    assert.equal(failed.stdout, '');
    assert.equal(failed.stderr, 'err\ncommand terminated with exit code 3\n');
  });

  it('pipes stdin through kubectl exec -i (CRI Exec over the runtime streaming server)', async () => {
    const input = 'line one\nline two\n';
    const echoed = await kubectl.run(['exec', '-i', 'app', '-c', 'main', '--', 'cat'], input);
    assert.equal(echoed.code, 0, echoed.stderr);
    assert.equal(echoed.stdout, input);
  });

  it('reports a command missing from the image as exit code 127 with the runtime message', async () => {
    const missing = await kubectl.run(['exec', 'app', '-c', 'main', '--', 'no-such-tool']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /exec: "no-such-tool": executable file not found in \$PATH/);
  });

  it('speaks SPDY/3.1 to kubectl 1.27: exec -i through the hub to the real runtime', async function () {
    const bin = kubectlOf(27);
    if (!bin) return this.skip();
    const old = new Kubectl(hub.kubeconfig, bin);
    const echoed = await old.run(['exec', '-i', 'app', '-c', 'main', '--', 'cat'], 'over spdy\n');
    assert.equal(echoed.code, 0, echoed.stderr);
    assert.equal(echoed.stdout, 'over spdy\n');
  });

  it('copies files into and out of a container with kubectl cp (tar through exec)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-cp-'));
    try {
      const local = join(dir, 'recipe.txt');
      writeFileSync(local, 'line speed 42\n'.repeat(300_000)); // 4.2 MB: past the hub's input window
      const up = await kubectl.run(['cp', local, 'default/app:/tmp/recipe.txt', '-c', 'main']);
      assert.equal(up.code, 0, up.stderr);
      const back = join(dir, 'back.txt');
      const down = await kubectl.run(['cp', 'default/app:/tmp/recipe.txt', back, '-c', 'main']);
      assert.equal(down.code, 0, down.stderr);
      assert.equal(readFileSync(back, 'utf8'), readFileSync(local, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("forwards a local port to a server on the pod's own localhost (kubectl port-forward)", async () => {
    // Bound to 127.0.0.1: only reachable from inside the pod's network namespace, where the
    // runtime's port-forward dials.
    const script =
      'mkdir -p /www && echo served-from-gateway > /www/index.html && head -c 6291456 /dev/urandom > /www/big && exec httpd -f -p 127.0.0.1:8080 -h /www';
    await kubectl.ok([
      'run',
      'web',
      `--image=${gw.busyboxImage}`,
      '--restart=Never',
      '--',
      'sh',
      '-c',
      script,
    ]);
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=40s']);
    const forward = spawn(kubectlBin, ['--kubeconfig', hub.kubeconfig, 'port-forward', 'pod/web', ':8080'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    forward.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    forward.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      const local = await eventually(() => /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      for (const attempt of [1, 2]) {
        const res = await fetch(`http://127.0.0.1:${local}/index.html`);
        assert.equal(res.status, 200, `attempt ${attempt}: ${out}`);
        assert.equal(await res.text(), 'served-from-gateway\n');
      }
      // 6 MiB: more than the agent lets wait for the broker, so its flow control pauses and
      // resumes the runtime's stream; every byte must still arrive, in order.
      const big = Buffer.from(await (await fetch(`http://127.0.0.1:${local}/big`)).arrayBuffer());
      assert.equal(big.length, 6 * 1024 * 1024);
      const [sum] = (await kubectl.ok(['exec', 'web', '--', 'sha256sum', '/www/big'])).split(' ');
      assert.equal(createHash('sha256').update(big).digest('hex'), sum);
    } finally {
      forward.kill('SIGKILL');
    }
  });

  it("attaches to a container's own process: kubectl attach -i and kubectl run -i --rm", async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Pod
metadata: {name: console, namespace: default}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 1
  containers:
    - {name: main, image: ${gw.busyboxImage}, command: [cat], stdin: true, stdinOnce: true}
`,
    );
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/console', '--timeout=40s']);
    const attached = await kubectl.run(['attach', '-i', 'console'], 'typed into cat\n');
    assert.equal(attached.code, 0, attached.stderr);
    assert.equal(attached.stdout, 'typed into cat\n');
    // stdinOnce: the end of the input was cat's end of file.
    await eventually(
      async () =>
        JSON.parse(await kubectl.ok(['get', 'pod', 'console', '-o', 'json'])).status.phase === 'Succeeded',
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    const run = await kubectl.run(
      [
        'run',
        'oneshot',
        '-i',
        '--rm',
        '--restart=Never',
        `--image=${gw.busyboxImage}`,
        '--',
        'sh',
        '-c',
        'cat; echo done',
      ],
      'hello through run\n',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /hello through run\ndone\n/);
    assert.equal((await kubectl.run(['get', 'pod', 'oneshot'])).code, 1, 'deleted by --rm');
  });

  it('serves the official Python client too: logs, exec with its exit code, port-forward', async function () {
    skipTestUnless(this, missingPythonClient());
    const script = join(import.meta.dirname, 'python', 'pod_session.py');
    const { stdout } = await promisify(execFile)(
      '/usr/bin/python3',
      [script, hub.kubeconfig, 'app', 'main', 'web'],
      {
        timeout: 60_000,
      },
    );
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!);
    assert.deepEqual(seen.logs.trim().split('\n'), ['prepared', 'hello-from-configmap', 'password=s3cret']);
    assert.equal(seen.exec, 'hello-from-configmap');
    assert.equal(seen.failing_stderr, 'err\n');
    assert.equal(seen.failing_code, 3);
    // The hub ends the connection after the status, as Kubernetes does: not 20 s of waiting.
    assert.ok(seen.failing_seconds < 5, `the exec ended after ${seen.failing_seconds} s`);
    // Port-forward over the WebSocket channel protocol, to the web pod of the port-forward test.
    assert.match(seen.forwarded, /^HTTP\/1\.[01] 200 OK\r\n/);
    assert.match(seen.forwarded, /\r\n\r\nserved-from-gateway\n$/);
    assert.equal(seen.forward_error, null);
  });

  it('restarts a container whose liveness probe fails', async () => {
    await eventually(
      async () => {
        const p = JSON.parse(await kubectl.ok(['get', 'pod', 'flaky', '-o', 'json']));
        return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  });

  it('deletes a pod: the agent stops it and the hub removes it', async () => {
    await kubectl.ok(['delete', 'pod', 'flaky', '--timeout=60s']);
    const gone = await kubectl.run(['get', 'pod', 'flaky']);
    assert.notEqual(gone.code, 0);
    const sandboxes = await gw.cri.listPodSandboxes();
    assert.ok(!sandboxes.some((s) => s.metadata.name === 'flaky' && s.state === 'READY'));
  });

  it('marks the gateway Unknown within seconds when its agent dies', async () => {
    agent!.child.kill('SIGKILL');
    await exited(agent!.child);
    const started = Date.now();
    await eventually(
      async () => {
        const n = JSON.parse(await kubectl.ok(['get', 'node', node, '-o', 'json']));
        return n.status.conditions.find((c: any) => c.type === 'Ready')?.status === 'Unknown';
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.ok(Date.now() - started < 20_000, 'Unknown within seconds');
    const running = await gw.cri.listContainers();
    assert.ok(
      running.some((c) => c.name === 'main' && c.state === 'RUNNING'),
      'the pod keeps running without its agent',
    );
  });
});
