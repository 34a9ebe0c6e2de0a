// LoadBalancer Services on site, on real components (the e2e setup: a hub process, two gateways in
// network namespaces with their own containerd and agents, a client namespace on the same bridge):
// - address assignment: Service create (API POST) → status.loadBalancer.ingress set, polled every 5 ms;
// - failover: the holder of the address power-cut (agent, containerd, shims killed, link down) →
//   the client served again through the other gateway, polled every 50 ms, over --cuts cuts (10);
//   between cuts the cut gateway comes back (link up, containerd and agent restarted, its pod ready);
// - what the announcement costs on the plant network, counted by nftables in the client namespace
//   over a steady minute (--idle-seconds, default 60): ARP packets (gratuitous and replies) and the
//   gateways' UDP beats.
//   npx tsx bench/run.ts load-balancer [--cuts 10] [--idle-seconds 60]   (root; npm run build first)
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiClient } from '../test/helpers/api-client.js';
import { createClientNetns } from '../test/helpers/client-netns.js';
import { eventually } from '../test/helpers/eventually.js';
import { httpBackendPod, startGatewayFleet } from '../test/helpers/gateway-fleet.js';
import type { Benchmark, ResultRow } from './lib/benchmark.js';
import { type Column, formatTable } from './lib/table.js';

const run = promisify(execFile);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

function row(
  scenario: string,
  samples: number[],
  notes: string,
  details: Record<string, unknown>,
): ResultRow {
  return {
    scenario,
    server: 'hub + 2 gateways',
    rps: 0,
    p50Ms: percentile(samples, 50),
    p95Ms: percentile(samples, 95),
    p99Ms: Math.max(...samples),
    notes,
    details: { samples, ...details },
  };
}

const columns: Column<ResultRow>[] = [
  { header: 'measure', value: (r) => r.scenario },
  { header: 'n', value: (r) => (r.details.samples as number[]).length },
  { header: 'p50', value: (r) => r.p50Ms },
  { header: 'max', value: (r) => r.p99Ms },
  { header: 'notes', value: (r) => r.notes },
];

export const benchmark: Benchmark = {
  name: 'load-balancer',
  description: 'LoadBalancer address assignment, on-site failover after power cuts, ARP and beat traffic',
  async run({ flags, log }) {
    const cuts = Number(flags.cuts ?? 10);
    const idleSeconds = Number(flags['idle-seconds'] ?? 60);
    const suffix = randomInt(1000, 9999);
    const nodes = [`lbb${suffix}a`, `lbb${suffix}b`];
    const address = `172.31.0.${randomInt(225, 250)}`;
    const fleet = await startGatewayFleet(nodes);
    const client = await createClientNetns(`plcb${suffix}`, `172.31.0.${randomInt(211, 224)}`);
    try {
      const { kubectl, hub } = fleet;
      const ca = readFileSync(join(hub.dataDir, 'pki', 'ca.crt'), 'utf8');
      const api = new ApiClient(hub.apiUrl, ca, hub.token);
      await kubectl.ok(
        ['apply', '-f', '-'],
        `apiVersion: flotilla.io/v1alpha1
kind: Site
metadata: {name: bench-${suffix}}
spec:
  networks: [172.31.0.0/24]
  gateways: {names: [${nodes.join(', ')}]}
  # Above the gateways' own addresses (172.31.0.11-210, test/helpers/gateway-netns.ts).
  addressPools: [{name: plc, addresses: ["172.31.0.225-172.31.0.250"]}]
`,
      );

      // Assignment latency: throwaway Services, one at a time, deleted after.
      const assign: number[] = [];
      for (let i = 0; i < 20; i++) {
        const name = `assign-${i}`;
        const started = performance.now();
        const created = await api.post('/api/v1/namespaces/default/services', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name },
          spec: { type: 'LoadBalancer', ports: [{ port: 80 }], allocateLoadBalancerNodePorts: false },
        });
        if (created.status !== 201) throw new Error(`create ${name}: ${created.status} ${created.text}`);
        await eventually(
          async () =>
            (await api.get(`/api/v1/namespaces/default/services/${name}`)).json().status?.loadBalancer
              ?.ingress?.length > 0,
          { timeoutMs: 10_000, intervalMs: 5 },
        );
        assign.push(Math.round(performance.now() - started));
        await api.send('DELETE', `/api/v1/namespaces/default/services/${name}`);
      }
      log(`assignment: ${assign.join(', ')} ms`);

      const image = fleet.gateways[0]!.busyboxImage;
      for (const node of nodes)
        await kubectl.ok(['apply', '-f', '-'], httpBackendPod(`web-${node}`, node, image, 'app: plc-web'));
      await kubectl.ok(
        ['apply', '-f', '-'],
        `apiVersion: v1
kind: Service
metadata: {name: plc-web, namespace: default, annotations: {flotilla.io/load-balancer-ips: "${address}"}}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: plc-web}
  ports: [{port: 80, targetPort: 8080}]
`,
      );
      await eventually(() => client.get(address), { timeoutMs: 60_000, intervalMs: 250 });

      const holders = async () => {
        const found: string[] = [];
        for (const node of nodes) {
          const { stdout } = await run('ip', ['-n', `fl-${node}`, '-o', 'addr', 'show', 'dev', 'eth0']).catch(
            () => ({
              stdout: '',
            }),
          );
          if (stdout.includes(` ${address}/32 `)) found.push(node);
        }
        return found;
      };
      // Settled: both backends ready, one holder, the client served by its backend, twice 1 s apart
      // (a gateway back from a cut takes its address back first: that handover is not a cut).
      const settled = async () => {
        const list = JSON.parse(await kubectl.ok(['get', 'endpointslices', '-o', 'json']));
        const ready = list.items
          .filter((s: any) => s.metadata.labels?.['kubernetes.io/service-name'] === 'plc-web')
          .flatMap((s: any) => s.endpoints ?? [])
          .filter((e: any) => e.conditions?.ready);
        const found = await holders();
        const body = await client.get(address);
        return ready.length === nodes.length && found.length === 1 && body === `web-${found[0]}`
          ? found[0]
          : undefined;
      };
      const bothServe = () =>
        eventually(
          async () => {
            const first = await settled();
            if (!first) return undefined;
            await new Promise((resolve) => setTimeout(resolve, 1000));
            return (await settled()) === first ? first : undefined;
          },
          { timeoutMs: 90_000, intervalMs: 250 },
        );

      // Traffic on the plant network in a steady state, counted in the client's namespace.
      const nft = (...command: string[]) => run('ip', ['netns', 'exec', client.netnsName, 'nft', ...command]);
      await nft('add table arp lbcount');
      await nft('add chain arp lbcount in { type filter hook input priority 0 ; }');
      await nft('add rule arp lbcount in counter');
      await nft('add table inet lbcount');
      await nft('add chain inet lbcount in { type filter hook input priority 0 ; }');
      await nft('add rule inet lbcount in udp dport 7473 counter');
      await bothServe();
      const counters = async () => {
        const { stdout } = await run('ip', [
          'netns',
          'exec',
          client.netnsName,
          'nft',
          '-j',
          'list',
          'ruleset',
        ]);
        const rules = (JSON.parse(stdout).nftables as any[]).filter((e) => e.rule);
        const count = (family: string) =>
          rules.find((r) => r.rule.family === family)?.rule.expr.find((x: any) => x.counter)?.counter
            .packets ?? 0;
        return { arp: count('arp'), beats: count('inet') };
      };
      const idleStart = await counters();
      const pollTimer = setInterval(() => void client.get(address), 1000);
      await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
      clearInterval(pollTimer);
      const idleEnd = await counters();
      const perMinute = (a: number, b: number) => Math.round(((b - a) * 60) / idleSeconds);
      const arpPerMinute = perMinute(idleStart.arp, idleEnd.arp);
      const beatsPerMinute = perMinute(idleStart.beats, idleEnd.beats);
      log(`steady: ${arpPerMinute} ARP/min, ${beatsPerMinute} beats/min seen by the client`);

      const failovers: number[] = [];
      const arpPerFailover: number[] = [];
      for (let cut = 0; cut < cuts; cut++) {
        const victim = (await bothServe()) as string;
        const index = nodes.indexOf(victim);
        const before = await counters();
        const cutAt = performance.now();
        await Promise.all([
          fleet.agents[index]!.kill(),
          run('ip', ['-n', `fl-${victim}`, 'link', 'set', 'eth0', 'down']),
        ]);
        const reboot = fleet.gateways[index]!.reboot().catch((err: Error) => log(`reboot: ${err.message}`));
        await eventually(() => client.get(address, 0.5), { timeoutMs: 30_000, intervalMs: 50 });
        failovers.push(Math.round(performance.now() - cutAt));
        arpPerFailover.push((await counters()).arp - before.arp);
        log(`cut ${cut + 1}/${cuts}: ${victim} → served again after ${failovers.at(-1)} ms`);
        await reboot;
        await run('ip', ['-n', `fl-${victim}`, 'link', 'set', 'eth0', 'up']);
        fleet.agents[index] = await fleet.agents[index]!.restart();
      }

      const rows = [
        row('Service create → ingress set (ms)', assign, 'pool address, API POST to status seen', {}),
        row(
          'power cut → client served again (ms)',
          failovers,
          'holder killed with link down; decided among the gateways',
          { arpPerFailover },
        ),
        row(
          'ARP packets per address per minute, steady',
          [arpPerMinute],
          'seen by the client polling once a second',
          {},
        ),
        row(
          'UDP beats per minute seen on the plant network',
          [beatsPerMinute],
          '2 gateways, 4 beats/s each',
          {},
        ),
      ];
      return {
        settings: { cuts, idleSeconds, gateways: nodes.length, address },
        rows,
        table: formatTable(columns, rows),
      };
    } finally {
      await client.remove();
      await fleet.teardown();
    }
  },
};
