// Service DNS on a real gateway: the hub process, an emulated gateway (netns + containerd) with
// the `flotilla agent` process inside it (so flotilla-dns0 and port 53 are the gateway's), a
// busybox pod in a real sandbox. Its /etc/resolv.conf comes from the CRI dns_config, and its
// lookups reach the agent on 169.254.20.10 through the CNI bridge; names outside the cluster go
// to the resolver the agent's --resolv-conf names (a stand-in on the host bridge, port 53).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dnsInterfaceName } from '../../edge-agent/dns/dns-interface.js';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl } from '../helpers/kubectl.js';
import { hubAddressFromGateways, type NetnsAgent, startNetnsAgent } from '../helpers/netns-agent.js';
import {
  skipUnlessRuntimeHost,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../helpers/test-gateway-runtime.js';
import { FakeUpstream } from '../integration/dns/dns-wire.js';

const run = promisify(execFile);
const node = 'dns-gw';

function manifest(busybox: string): string {
  return `apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: dns-client, namespace: default}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers:
    - name: client
      image: ${busybox}
      command: [sleep, '3600']
`;
}

describe('service DNS for pods on a real gateway', function () {
  this.timeout(120_000);
  let hub: HubProcess;
  let gw: TestGatewayRuntime;
  let agent: NetnsAgent | undefined;
  let upstream: FakeUpstream | undefined;
  let kubectl: Kubectl;
  const hostDir = mkdtempSync(join(tmpdir(), 'flotilla-dns-host-'));

  /** Runs a command in the client container (CRI ExecSync); stdout and stderr together. */
  async function inPod(command: string[]): Promise<{ exitCode: number; output: string }> {
    const container = (await gw.cri.listContainers()).find(
      (c) => c.name === 'client' && c.state === 'RUNNING',
    );
    assert.ok(container, 'the client container is not running');
    const result = await gw.cri.execSync(container.id, command, 10);
    return { exitCode: result.exitCode, output: `${result.stdout}${result.stderr}` };
  }

  before(async function () {
    skipUnlessRuntimeHost(this);
    hub = await startHubProcess(undefined, ['--bind', '0.0.0.0']);
    kubectl = new Kubectl(hub.kubeconfig);
    gw = await startTestGatewayRuntime(node);
    // The site's resolver, as the gateway's resolv.conf names it: reachable on the host bridge.
    upstream = await FakeUpstream.start(
      (query) => {
        const question = query.questions?.[0];
        return question?.name === 'printer.plant.example' && question.type === 'A'
          ? { flags: 1 << 7, answers: [{ name: question.name, type: 'A', ttl: 60, data: '192.0.2.80' }] }
          : { flags: (1 << 7) | 3 };
      },
      hubAddressFromGateways,
      53,
    );
    const resolvConf = join(hostDir, 'resolv.conf');
    writeFileSync(resolvConf, `nameserver ${hubAddressFromGateways}\nsearch plant.example\n`);
    agent = await startNetnsAgent(hub, gw, node, { extraArgs: ['--resolv-conf', resolvConf] });
  });

  after(async () => {
    await agent?.remove().catch(() => {});
    await upstream?.close();
    await gw?.teardown();
    await hub?.stop();
    if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
    rmSync(hostDir, { recursive: true, force: true });
  });

  it("writes the pod's resolv.conf from the cluster DNS, the namespace search path and ndots:5", async () => {
    await kubectl.ok(['apply', '-f', '-'], manifest(gw.busyboxImage));
    const resolv = await eventually(async () => (await inPod(['cat', '/etc/resolv.conf'])).output, {
      timeoutMs: 60_000,
      intervalMs: 250,
    }).catch((err) => {
      throw new Error(`${(err as Error).message}\n${agent?.output()}`);
    });
    assert.deepEqual(resolv.trim().split('\n'), [
      'search default.svc.cluster.local svc.cluster.local cluster.local plant.example',
      'nameserver 169.254.20.10',
      'options ndots:5',
    ]);
    const { stdout } = await run('ip', [
      '-n',
      gw.gateway.netnsName,
      '-br',
      'addr',
      'show',
      'dev',
      dnsInterfaceName,
    ]);
    assert.match(stdout, /169\.254\.20\.10\/32/);
  });

  it('resolves a Service name from the pod with busybox nslookup, through the agent', async () => {
    const service = JSON.parse(await kubectl.ok(['get', 'service', 'web', '-o', 'json']));
    const clusterIP = service.spec.clusterIP as string;
    const answer = await eventually(
      async (): Promise<string | false> => {
        const result = await inPod(['nslookup', '-type=a', 'web.default.svc.cluster.local']);
        return result.exitCode === 0 && result.output.includes(clusterIP) ? result.output : false;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    ).catch(async (err) => {
      const last = await inPod(['nslookup', '-type=a', 'web.default.svc.cluster.local']).catch((e) => e);
      throw new Error(`${(err as Error).message}\n${JSON.stringify(last)}\n${agent?.output()}`);
    });
    assert.match(answer as string, /Server:\s+169\.254\.20\.10/);
    const missing = await inPod(['nslookup', '-type=a', 'nope.default.svc.cluster.local']);
    assert.notEqual(missing.exitCode, 0);
    assert.match(missing.output, /NXDOMAIN/);
  });

  it("resolves the short Service name through the pod's search path (the libc resolver)", async () => {
    const service = JSON.parse(await kubectl.ok(['get', 'service', 'web', '-o', 'json']));
    // ping resolves first and prints the address, whether or not anything answers it.
    const result = await inPod(['ping', '-c', '1', '-W', '1', 'web']);
    assert.match(result.output, new RegExp(`PING web \\(${service.spec.clusterIP.replace(/\./g, '\\.')}\\)`));
  });

  it("forwards other names to the gateway's resolver", async () => {
    const result = await inPod(['nslookup', '-type=a', 'printer.plant.example']);
    assert.equal(result.exitCode, 0, result.output);
    assert.match(result.output, /192\.0\.2\.80/);
    assert.ok(upstream!.seen.some((s) => s.name === 'printer.plant.example'));
  });

  it('removes flotilla-dns0 when the agent stops', async () => {
    await agent!.stop();
    const { stdout } = await run('ip', ['-n', gw.gateway.netnsName, '-br', 'link']);
    assert.ok(!stdout.includes(dnsInterfaceName), stdout);
  });
});
