// kubectl attach, run -i --rm and port-forward through the hub and MQTT to a gateway with the
// fake runtime (a container with stdin echoes its input like `cat`; port servers are installed
// per test): kubectl 1.32 over WebSocket (port-forward tunnelled SPDY) and 1.27 over SPDY/3.1.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { RunningAgent } from '../../../edge-agent/agent.js';
import type { FakePortServer } from '../../../edge-agent/runtime/fake-attach.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { Kubectl, kubectlBin, kubectlOf } from '../../helpers/kubectl.js';
import { startFakeGateway, startTestHub, type TestHub } from '../../helpers/test-hub.js';

const node = 'gw-attach';
const image = 'docker.io/library/busybox:1.36';

const echoServer: FakePortServer = async (input, write) => {
  for await (const data of input) write(Buffer.from(`echo:${data.toString()}`));
};

/** Sends `text` through a forwarded local port; resolves with everything read until it closes. */
function roundTrip(port: number, text: string, closeAfterMs = 300): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString();
    });
    socket.on('connect', () => {
      socket.write(text);
      setTimeout(() => socket.end(), closeAfterMs);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

async function forwardedPort(kubectl: { output: () => string }): Promise<number> {
  const line = await eventually(() => /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(kubectl.output()), {
    timeoutMs: 10_000,
  });
  return Number(line?.[1]);
}

describe('kubectl attach, run -i and port-forward through the hub, with the fake runtime', function () {
  this.timeout(60_000);
  const agentDir = tempDir('attach-gw');
  const runtime = new FakeRuntime();
  let t: TestHub;
  let agent: RunningAgent | undefined;

  const createPod = async (name: string, container: object = {}) => {
    const res = await t.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { nodeName: node, containers: [{ name: 'main', image, ...container }] },
    });
    assert.equal(res.status, 201, res.text);
    await eventually(async () => {
      const pod = (await t.api.get(`/api/v1/namespaces/default/pods/${name}`)).json();
      return pod.status?.phase === 'Running';
    });
    await eventually(() => agent!.podManager.runningPods().some((p) => p.pod.metadata.name === name));
  };
  const containerOf = (pod: string) =>
    eventually(async () => {
      const sandbox = (await runtime.listPodSandboxes()).find((s) => s.metadata.name === pod);
      return (await runtime.listContainers()).find(
        (c) => c.podSandboxId === sandbox?.id && c.state === 'RUNNING',
      );
    });

  before(async () => {
    t = await startTestHub();
    agent = await startFakeGateway(t, node, runtime, agentDir);
    runtime.onPortForward((sandbox, port) =>
      sandbox.metadata.name === 'web' && port === 8080 ? echoServer : undefined,
    );
    await createPod('web');
  });

  after(async () => {
    await agent?.stop();
    await t.close();
    rmSync(agentDir, { recursive: true, force: true });
  });

  for (const minor of [32, 27]) {
    it(`kubectl 1.${minor} attach -i: input reaches the container's stdin, its output comes back`, async function () {
      const bin = minor === 32 ? kubectlBin : kubectlOf(minor);
      if (!bin) return this.skip();
      const pod = `console-${minor}`;
      await createPod(pod, { stdin: true, stdinOnce: true });
      const kubectl = new Kubectl(t.hub.kubeconfigPath, bin);
      const attached = await kubectl.run(['attach', '-i', pod], `typed line ${minor}\n`);
      assert.equal(attached.stdout, `typed line ${minor}\n`, attached.stderr);
      assert.equal(attached.code, 0, attached.stderr);
      // stdinOnce: the end of the input ended the container, as `cat` would end (then the
      // restart policy Always started it again).
      await eventually(async () => {
        const status = (await t.api.get(`/api/v1/namespaces/default/pods/${pod}`)).json().status;
        const container = status.containerStatuses?.[0];
        return (container?.state?.terminated ?? container?.lastState?.terminated)?.exitCode === 0;
      });
    });

    it(`kubectl 1.${minor} attach shows what the container writes until it exits`, async function () {
      const bin = minor === 32 ? kubectlBin : kubectlOf(minor);
      if (!bin) return this.skip();
      const pod = `writer-${minor}`;
      await createPod(pod);
      const container = await containerOf(pod);
      const kubectl = new Kubectl(t.hub.kubeconfigPath, bin).spawnLong(['attach', pod]);
      try {
        // Lines written once attached reach kubectl; the container's exit ends the session.
        await eventually(async () => {
          await runtime.emitLog(container!.id, 'stdout', 'tick');
          return kubectl.output().includes('tick\n');
        });
        runtime.exitContainer(container!.id, 0);
        const code = await kubectl.exited;
        assert.equal(code, 0, kubectl.output());
      } finally {
        kubectl.stop();
      }
    });

    it(`kubectl 1.${minor} port-forward carries a connection to the pod's port both ways`, async function () {
      const bin = minor === 32 ? kubectlBin : kubectlOf(minor);
      if (!bin) return this.skip();
      const kubectl = new Kubectl(t.hub.kubeconfigPath, bin).spawnLong(['port-forward', 'pod/web', ':8080']);
      try {
        const port = await forwardedPort(kubectl);
        assert.equal(await roundTrip(port, 'ping'), 'echo:ping');
        // A second connection over the same session.
        assert.equal(await roundTrip(port, 'again'), 'echo:again');
      } finally {
        kubectl.stop();
      }
    });

    it(`kubectl 1.${minor} port-forward says why a port nobody listens on fails`, async function () {
      const bin = minor === 32 ? kubectlBin : kubectlOf(minor);
      if (!bin) return this.skip();
      const kubectl = new Kubectl(t.hub.kubeconfigPath, bin).spawnLong(['port-forward', 'pod/web', ':9999']);
      try {
        const port = await forwardedPort(kubectl);
        assert.equal(await roundTrip(port, 'anyone?'), '');
        await eventually(() => kubectl.output().includes('connection refused'));
        assert.match(
          kubectl.output(),
          /error forwarding port 9999 to pod web, uid [0-9a-f-]+: failed to connect to localhost:9999/,
        );
      } finally {
        kubectl.stop();
      }
    });
  }

  it('kubectl run -i --rm: runs a pod, attaches to it, deletes it when the input ends', async () => {
    const kubectl = new Kubectl(t.hub.kubeconfigPath);
    const run = await kubectl.run(
      [
        'run',
        'oneshot',
        '-i',
        '--rm',
        '--restart=Never',
        `--image=${image}`,
        `--overrides={"spec":{"nodeName":"${node}"}}`,
        '--',
        'cat',
      ],
      'through run -i\n',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /through run -i\n/);
    assert.match(run.stdout + run.stderr, /pod "oneshot" deleted/);
    const gone = await t.api.get('/api/v1/namespaces/default/pods/oneshot');
    assert.equal(gone.status, 404);
  });

  it('asks for a container name, listing every kind of container, when a pod has several', async () => {
    const res = await t.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'several', namespace: 'default' },
      spec: {
        nodeName: node,
        initContainers: [{ name: 'setup', image }],
        containers: [
          { name: 'a', image },
          { name: 'b', image },
        ],
      },
    });
    assert.equal(res.status, 201, res.text);
    for (const verb of ['attach', 'exec']) {
      const plain = await t.api.post(
        `/api/v1/namespaces/default/pods/several/${verb}?stdout=true&command=true`,
        '',
      );
      assert.equal(plain.status, 400);
      assert.equal(
        plain.json().message,
        'a container name must be specified for pod several, choose one of: [a b] or one of the init containers: [setup]',
      );
    }
  });

  it('answers attach to a pod that is not running, and port-forward to a pending pod, with 400', async () => {
    const res = await t.api.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unbound', namespace: 'default' },
      spec: { schedulerName: 'nobody', containers: [{ name: 'main', image }] },
    });
    assert.equal(res.status, 201, res.text);
    const kubectl = new Kubectl(t.hub.kubeconfigPath);
    const forward = await kubectl.run(['port-forward', 'pod/unbound', ':80', '--pod-running-timeout=1s']);
    assert.notEqual(forward.code, 0);
    const plain = await t.api.post('/api/v1/namespaces/default/pods/unbound/portforward', '');
    assert.equal(plain.status, 400);
    assert.equal(
      plain.json().message,
      'unable to forward port because pod is not running. Current status=Pending',
    );
    const attach = await t.api.post('/api/v1/namespaces/default/pods/unbound/attach?stdout=true', '');
    assert.equal(attach.status, 400);
    assert.equal(attach.json().message, 'pod unbound does not have a host assigned');
  });
});
