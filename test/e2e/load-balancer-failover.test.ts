// LoadBalancer Services on the plant network, end to end: three real gateways (network
// namespaces, their own containerd, real agents) on one bridge, a client namespace on the same
// bridge standing in for a PLC, the hub with its default --cloud-provider site. A Service gets an
// address from the site's pool, one gateway announces it, and when that gateway loses power
// another takes the address over — also with the hub stopped first.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { type ClientNetns, createClientNetns } from '../helpers/client-netns.js';
import { eventually } from '../helpers/eventually.js';
import { type GatewayFleet, httpBackendPod, startGatewayFleet } from '../helpers/gateway-fleet.js';
import type { Kubectl } from '../helpers/kubectl.js';
import { skipUnlessRuntimeHost } from '../helpers/test-gateway-runtime.js';

const run = promisify(execFile);

describe('LoadBalancer addresses announced on site, failing over without the hub', function () {
  this.timeout(180_000);
  const suffix = randomInt(1000, 9999);
  const nodes = ['a', 'b', 'c'].map((n) => `lb${suffix}${n}`);
  // Above the addresses gateway-netns.ts hands out (172.31.0.11-210).
  const address = `172.31.0.${randomInt(225, 250)}`;
  let fleet: GatewayFleet;
  let kubectl: Kubectl;
  let client: ClientNetns;
  const down = new Set<string>();

  const site = (extra = '') => `apiVersion: flotilla.io/v1alpha1
kind: Site
metadata: {name: plant-${suffix}}
spec:
  region: eu-west
  zone: hall-${suffix}
  networks: [172.31.0.0/24]
  gateways: {names: [${nodes.join(', ')}]}
  addressPools: [{name: plc, addresses: ["${address}"]}]
${extra}`;

  /** The gateways whose plant interface holds the address now. */
  const holders = async () => {
    const found: string[] = [];
    for (const node of nodes) {
      if (down.has(node)) continue;
      const { stdout } = await run('ip', ['-n', `fl-${node}`, '-o', 'addr', 'show', 'dev', 'eth0']);
      if (stdout.includes(` ${address}/32 `)) found.push(node);
    }
    return found;
  };
  const oneHolder = () =>
    eventually(
      async () => {
        const found = await holders();
        return found.length === 1 ? found[0] : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    ) as Promise<string>;

  const servedByHolder = () =>
    eventually(
      async () => {
        const found = await holders();
        const body = await client.get(address);
        return found.length === 1 && body === `web-${found[0]}` ? found[0] : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 250 },
    ) as Promise<string>;

  /** The agent, containerd, its shims and the link gone at once; ms until the client is served again. */
  const powerCut = async (node: string) => {
    const index = nodes.indexOf(node);
    const cutAt = Date.now();
    await Promise.all([
      fleet.agents[index]!.kill(),
      run('ip', ['-n', `fl-${node}`, 'link', 'set', 'eth0', 'down']),
    ]);
    down.add(node);
    // The reboot's clean-up of the dead runtime's state can trip on a shim still writing it; the
    // power cut (every process killed) is done by then and is what this test is about.
    const reboot = fleet.gateways[index]!.reboot().catch((err: Error) =>
      console.log(`      reboot: ${err.message}`),
    );
    await eventually(() => client.get(address, 0.5), { timeoutMs: 30_000, intervalMs: 50 });
    const ms = Date.now() - cutAt;
    await reboot;
    return ms;
  };

  before(async function () {
    skipUnlessRuntimeHost(this);
    fleet = await startGatewayFleet(nodes);
    kubectl = fleet.kubectl;
    client = await createClientNetns(`plc${suffix}`, `172.31.0.${randomInt(211, 224)}`);
  });

  after(async () => {
    await client?.remove();
    await fleet?.teardown();
  });

  it('refuses a bad inventory with the field named', async () => {
    const result = await kubectl.run(
      ['apply', '-f', '-'],
      `apiVersion: flotilla.io/v1alpha1
kind: Site
metadata: {name: bad-${suffix}}
spec:
  networks: [10.77.0.0/24]
  gateways: {names: [nobody-${suffix}]}
  addressPools: [{name: p, addresses: [10.78.0.5]}]
`,
    );
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /spec\.addressPools\[0\]\.addresses\[0\]: Invalid value: "10\.78\.0\.5": must be inside one of spec\.networks/,
    );
  });

  it('gives a LoadBalancer Service a pool address that kubectl shows and the client reaches', async () => {
    await kubectl.ok(['apply', '-f', '-'], site());
    const image = fleet.gateways[0]!.busyboxImage;
    for (const node of nodes)
      await kubectl.ok(['apply', '-f', '-'], httpBackendPod(`web-${node}`, node, image, 'app: plc-web'));
    await kubectl.ok(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Service
metadata: {name: plc-web, namespace: default}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: plc-web}
  ports: [{port: 80, targetPort: 8080}]
`,
    );
    await eventually(async () => (await kubectl.ok(['get', 'svc', 'plc-web'])).includes(address), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const node = JSON.parse(await kubectl.ok(['get', 'node', nodes[0]!, '-o', 'json']));
    assert.equal(node.spec.providerID, `flotilla://plant-${suffix}/${nodes[0]}`);
    assert.equal(node.metadata.labels['topology.kubernetes.io/zone'], `hall-${suffix}`);
    // The address settles on one gateway as the backends become ready; the client reaches the
    // backend of the gateway that holds it (externalTrafficPolicy Local).
    await servedByHolder();
  });

  it('moves the address to another gateway when the holder loses power', async () => {
    const before = await oneHolder();
    const ms = await powerCut(before);
    const after = await servedByHolder();
    assert.notEqual(after, before);
    console.log(`      failover with the hub up: ${ms} ms`);
  });

  it('taints a gateway the inventory marks powered off, and deletes a decommissioned one', async () => {
    const [dead] = [...down];
    await kubectl.ok(['apply', '-f', '-'], site(`  poweredOff: [${dead}]\n`));
    await eventually(
      async () => {
        const node = JSON.parse(await kubectl.ok(['get', 'node', dead!, '-o', 'json']));
        return node.spec.taints?.some(
          (t: { key: string }) => t.key === 'node.cloudprovider.kubernetes.io/shutdown',
        );
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    await kubectl.ok(['apply', '-f', '-'], site(`  decommissioned: [${dead}]\n`));
    await eventually(async () => (await kubectl.run(['get', 'node', dead!])).code !== 0, {
      timeoutMs: 15_000,
      intervalMs: 250,
    });
    // The live gateways are untouched.
    const names = (await kubectl.ok(['get', 'nodes', '-o', 'name'])).trim().split('\n');
    for (const node of nodes.filter((n) => !down.has(n))) assert.ok(names.includes(`node/${node}`));
  });

  it('fails over among the gateways themselves with the hub stopped', async () => {
    const before = await oneHolder();
    await fleet.hub.stop();
    const ms = await powerCut(before);
    const after = await servedByHolder();
    assert.notEqual(after, before);
    console.log(`      failover with the hub stopped: ${ms} ms`);
  });
});
