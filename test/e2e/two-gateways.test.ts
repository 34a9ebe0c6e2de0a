// Two emulated gateways on one L2 segment (the host bridge), each a network namespace with its
// own containerd and a `flotilla agent` process inside it, joined to a hub process: pod
// networking between gateways (host-gw routes from the hub's node IPAM), driven by kubectl.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../helpers/eventually.js';
import { type GatewayFleet, httpBackendPod, startGatewayFleet } from '../helpers/gateway-fleet.js';
import type { Kubectl } from '../helpers/kubectl.js';
import type { NetnsAgent } from '../helpers/netns-agent.js';
import { skipUnlessRuntimeHost, type TestGatewayRuntime } from '../helpers/test-gateway-runtime.js';

const run = promisify(execFile);

function clientPod(name: string, node: string, image: string, target: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers:
    - name: client
      image: ${image}
      # busybox 1.35's wget segfaults with -T (timeout): plain wget, looped.
      command: [sh, -c, 'while true; do wget -qO- http://${target}/ || echo failed; sleep 0.5; done']
`;
}

describe('two gateways on one segment, agents in their own network namespaces', function () {
  this.timeout(180_000);
  let fleet: GatewayFleet;
  let kubectl: Kubectl;
  let gateways: TestGatewayRuntime[];
  let agents: NetnsAgent[];
  const nodes = ['tg-a', 'tg-b'];

  const podJson = async (name: string) => JSON.parse(await kubectl.ok(['get', 'pod', name, '-o', 'json']));
  const runningIP = (name: string) =>
    eventually(
      async () => {
        const p = await podJson(name);
        const ready = p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
        return ready && p.status.podIP ? (p.status.podIP as string) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    ) as Promise<string>;

  before(async function () {
    skipUnlessRuntimeHost(this);
    fleet = await startGatewayFleet(nodes);
    ({ kubectl, gateways, agents } = fleet);
  });

  after(() => fleet?.teardown());

  it('gives each gateway its own pod network and reports its bridge address as the node IP', async () => {
    const list = JSON.parse(await kubectl.ok(['get', 'nodes', '-o', 'json']));
    const byName = new Map<string, any>(list.items.map((n: any) => [n.metadata.name, n]));
    const cidrs = nodes.map((n) => byName.get(n).spec.podCIDR as string);
    assert.notEqual(cidrs[0], cidrs[1]);
    nodes.forEach((n, i) => {
      const internal = byName.get(n).status.addresses.find((a: any) => a.type === 'InternalIP');
      assert.equal(internal.address, gateways[i]!.gateway.address);
    });
  });

  it('reaches a pod on the other gateway, from that gateway and from a pod, through host routes', async () => {
    await kubectl.ok(['apply', '-f', '-'], httpBackendPod('web-b', 'tg-b', gateways[1]!.busyboxImage));
    const ipB = await runningIP('web-b');
    const node = JSON.parse(await kubectl.ok(['get', 'node', 'tg-b', '-o', 'json']));
    assert.ok(
      ipB.startsWith(node.spec.podCIDR.split('.').slice(0, 3).join('.')),
      `${ipB} in ${node.spec.podCIDR}`,
    );
    const fromGateway = await eventually(
      async () => {
        const { stdout } = await run('ip', [
          'netns',
          'exec',
          gateways[0]!.gateway.netnsName,
          'curl',
          '-sS',
          '-m',
          '2',
          `http://${ipB}:8080/`,
        ]);
        return stdout.trim();
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    ).catch(async (err) => {
      const routes = await Promise.all(
        gateways.map(async (g) => (await run('ip', ['-n', g.gateway.netnsName, 'route'])).stdout),
      );
      throw new Error(
        `${(err as Error).message}\nroutes:\n${routes.join('---\n')}\n${agents.map((a) => a.output()).join('\n---\n')}`,
      );
    });
    assert.equal(fromGateway, 'web-b');
    await kubectl.ok(
      ['apply', '-f', '-'],
      clientPod('client-a', 'tg-a', gateways[0]!.busyboxImage, `${ipB}:8080`),
    );
    await eventually(
      async () => (await kubectl.ok(['logs', 'client-a', '--tail=3'])).split('\n').includes('web-b'),
      { timeoutMs: 40_000, intervalMs: 500 },
    ).catch(async (err) => {
      const logs = await kubectl.run(['logs', 'client-a', '--tail=5']);
      const pod = await kubectl.run(['get', 'pod', 'client-a', '-o', 'wide']);
      throw new Error(`${(err as Error).message}\n${logs.stdout}${logs.stderr}\n${pod.stdout}`);
    });
  });
});
