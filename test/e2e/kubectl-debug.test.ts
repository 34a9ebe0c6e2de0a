// kubectl debug on a real gateway: the hub process, an agent in a network namespace with its own
// containerd, and real kubectl 1.27 and 1.32. A debugging container targeting the pod's `main`
// container runs `ps` once; its log lists main's process, which only a shared process
// namespace (CRI pid TARGET) can show.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl, kubectlOf } from '../helpers/kubectl.js';
import { type NetnsAgent, startNetnsAgent } from '../helpers/netns-agent.js';
import {
  skipUnlessRuntimeHost,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../helpers/test-gateway-runtime.js';

const node = 'gw-debug';

const podManifest = (busybox: string) => `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: ${busybox}
      command: [sleep, '3601']
`;

describe('kubectl debug on a real gateway', function () {
  this.timeout(180_000);
  let hub: HubProcess;
  let gw: TestGatewayRuntime;
  let agent: NetnsAgent | undefined;
  let kubectl: Kubectl;

  const debugStatus = async (name: string) => {
    const pod = JSON.parse(await kubectl.ok(['get', 'pod', 'web', '-o', 'json']));
    return (pod.status?.ephemeralContainerStatuses ?? []).find((s: { name: string }) => s.name === name);
  };

  before(async function () {
    skipUnlessRuntimeHost(this);
    hub = await startHubProcess(undefined, ['--bind', '0.0.0.0']);
    kubectl = new Kubectl(hub.kubeconfig);
    gw = await startTestGatewayRuntime(node);
    agent = await startNetnsAgent(hub, gw, node);
    await kubectl.ok(['apply', '-f', '-'], podManifest(gw.busyboxImage));
    await eventually(
      async () => {
        const pod = JSON.parse(await kubectl.ok(['get', 'pod', 'web', '-o', 'json']));
        return pod.status?.containerStatuses?.[0]?.state?.running !== undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\nagent output:\n${agent?.output()}`);
    });
  });

  after(async () => {
    await agent?.remove().catch(() => {});
    await gw?.teardown();
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
  });

  for (const minor of [27, 32]) {
    const name = `dbg${minor}`;

    it(`kubectl 1.${minor} debug --target=main runs ps once in main's process namespace`, async function () {
      const bin = kubectlOf(minor);
      if (!bin) this.skip();
      const versioned = new Kubectl(hub.kubeconfig, bin);
      const debug = await versioned.run([
        'debug',
        'web',
        `--image=${gw.busyboxImage}`,
        '--target=main',
        '-c',
        name,
        '--',
        'sh',
        '-c',
        'ps',
      ]);
      assert.equal(debug.code, 0, debug.stderr);
      const status = await eventually(
        async () => {
          const found = await debugStatus(name);
          return found?.state?.terminated ? found : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      ).catch((err) => {
        throw new Error(`${(err as Error).message}\nagent output:\n${agent?.output()}`);
      });
      assert.equal(status.state.terminated.exitCode, 0);
      assert.equal(status.restartCount, 0);
      const logs = await versioned.ok(['logs', 'web', '-c', name]);
      // busybox ps: main's sleep is pid 1 of the namespace the debugger joined.
      assert.match(logs, /^PID\s+USER\s+COMMAND$/m);
      assert.match(logs, /^\s*1 root\s+sleep 3601$/m, logs);
    });
  }

  for (const minor of [27, 32]) {
    it(`kubectl 1.${minor} debug -i attaches to an interactive shell in main's process namespace`, async function () {
      const bin = kubectlOf(minor);
      if (!bin) this.skip();
      const name = `sh${minor}`;
      const session = new Kubectl(hub.kubeconfig, bin).interactive([
        'debug',
        '-i',
        'web',
        `--image=${gw.busyboxImage}`,
        '--target=main',
        '-c',
        name,
        '--',
        'sh',
      ]);
      try {
        // Typed once attached (containerd ends an attach whose input ends, without stdinOnce).
        await eventually(async () => (await debugStatus(name))?.state?.running !== undefined, {
          timeoutMs: 60_000,
          intervalMs: 250,
        });
        await eventually(
          () => {
            session.type('ps\n');
            return /^\s*1 root\s+sleep 3601$/m.test(session.output());
          },
          { timeoutMs: 20_000, intervalMs: 1_000 },
        );
        session.type('exit 0\n');
        assert.equal(await session.exited, 0, session.output());
      } finally {
        session.kill();
      }
      const status = await eventually(async () => (await debugStatus(name))?.state?.terminated, {
        timeoutMs: 30_000,
        intervalMs: 250,
      });
      assert.equal(status.exitCode, 0);
    });
  }

  it('serves kubectl exec -c in a running debugger, which sees the target too', async () => {
    await kubectl.ok([
      'debug',
      'web',
      `--image=${gw.busyboxImage}`,
      '--target=main',
      '-c',
      'shell',
      '--',
      'sleep',
      '3600',
    ]);
    await eventually(async () => (await debugStatus('shell'))?.state?.running !== undefined, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    const ps = await kubectl.run(['exec', 'web', '-c', 'shell', '--', 'ps']);
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /sleep 3601/);
    assert.match(ps.stdout, /sleep 3600/);
  });

  it('refuses changing an existing debugger or one with ports with a 422 naming the field', async () => {
    const replace = (pod: unknown) =>
      kubectl.run(
        ['replace', '--raw', '/api/v1/namespaces/default/pods/web/ephemeralcontainers', '-f', '-'],
        JSON.stringify(pod),
      );
    const current = JSON.parse(await kubectl.ok(['get', 'pod', 'web', '-o', 'json']));
    const changed = structuredClone(current);
    changed.spec.ephemeralContainers[0].command = ['true'];
    const refused = await replace(changed);
    assert.notEqual(refused.code, 0);
    // kubectl's rendering of a 422 Invalid Status: the kind, the name, then each cause.
    assert.match(
      refused.stderr,
      /^The Pod "web" is invalid: spec\.ephemeralContainers: Forbidden: existing ephemeral containers "dbg27" may not be changed\nchanged: spec\.ephemeralContainers\["dbg27"\]\.command$/m,
    );
    const withPorts = structuredClone(current);
    withPorts.spec.ephemeralContainers.push({
      name: 'web-port',
      image: gw.busyboxImage,
      ports: [{ containerPort: 80 }],
    });
    const ports = await replace(withPorts);
    assert.notEqual(ports.code, 0);
    assert.match(
      ports.stderr,
      /^The Pod "web" is invalid: spec\.ephemeralContainers\[5\]\.ports: Forbidden: cannot be set for an Ephemeral Container$/m,
    );
  });
});
