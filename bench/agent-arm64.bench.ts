// The agent on an emulated arm64 gateway (test/helpers/arm64-gateway.ts: arm64 Node, containerd
// and containers under qemu user emulation) next to an amd64 gateway on the same hub, measured
// the same way: RSS and CPU idle, RSS with a few pods. The arm64 agent's process is qemu running
// Node, so its RSS includes the emulator (its translated-code cache too) and its CPU is emulated
// CPU: an upper bound for a real arm64 board, not a measurement of one. Needs root, the real-runtime
// prerequisites of the e2e tests and .ci/arm64-gateway.
import { setTimeout as sleep } from 'node:timers/promises';
import { arm64Platform, missingArm64Prerequisite } from '../test/helpers/arm64-gateway.js';
import { eventually } from '../test/helpers/eventually.js';
import { type GatewayFleet, startGatewayFleet } from '../test/helpers/gateway-fleet.js';
import { missingRuntimePrerequisite } from '../test/helpers/test-gateway-runtime.js';
import { shippedAgentNodeFlags } from './lib/agent-rig.js';
import type { Benchmark, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { readRssKiB } from './lib/process-rss.js';
import { readCpuSeconds } from './lib/process-usage.js';

const gateways = [
  { node: 'bench-amd64', arch: 'amd64' },
  { node: 'bench-arm64', arch: 'arm64 (qemu)' },
];
const idleSeconds = 30;
const podsPerGateway = 5;

function sleeperPod(name: string, node: string, image: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, labels: {app: arm64-bench}}
spec:
  nodeName: ${node}
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: ${image}, command: [sleep, '3600']}]
`;
}

function row(scenario: string, server: string, notes: string, details: Record<string, unknown>): ResultRow {
  return { scenario, server, rps: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, notes, details };
}

const mib = (kib: number) => Math.round(kib / 1024);

async function measure(fleet: GatewayFleet, log: (line: string) => void): Promise<ResultRow[]> {
  const pids = fleet.agents.map((agent) => {
    if (agent.child.pid === undefined) throw new Error(`agent ${agent.node} has no pid`);
    return agent.child.pid;
  });
  log(`every Node Ready; idling ${idleSeconds} s`);
  await sleep(10_000);
  const cpuBefore = pids.map(readCpuSeconds);
  await sleep(idleSeconds * 1000);
  const idleCores = pids.map((pid, i) => (readCpuSeconds(pid) - cpuBefore[i]!) / idleSeconds);
  const idleRss = pids.map(readRssKiB);

  for (const [i, { node }] of gateways.entries()) {
    for (let p = 0; p < podsPerGateway; p++) {
      await fleet.kubectl.ok(
        ['apply', '-f', '-'],
        sleeperPod(`${node}-${p}`, node, fleet.gateways[i]!.busyboxImage),
      );
    }
  }
  await eventually(
    async () => {
      const list = JSON.parse(await fleet.kubectl.ok(['get', 'pods', '-l', 'app=arm64-bench', '-o', 'json']));
      const running = list.items.filter((p: any) => p.status?.phase === 'Running').length;
      return running === podsPerGateway * gateways.length;
    },
    { timeoutMs: 300_000, intervalMs: 1_000 },
  );
  log(`${podsPerGateway} pods Running on each gateway; settling 10 s`);
  await sleep(10_000);
  const loadedRss = pids.map(readRssKiB);

  return gateways.flatMap(({ arch }, i) => [
    row(
      'agent idle',
      arch,
      `${mib(idleRss[i]!)} MiB VmRSS, ${idleCores[i]!.toFixed(3)} cores over ${idleSeconds} s`,
      { rssKiB: idleRss[i], cores: idleCores[i], idleSeconds },
    ),
    row('agent with pods', arch, `${mib(loadedRss[i]!)} MiB VmRSS with ${podsPerGateway} pods Running`, {
      rssKiB: loadedRss[i],
      pods: podsPerGateway,
    }),
  ]);
}

async function runArm64Bench(log: (line: string) => void, repoRoot: string): Promise<BenchmarkReport> {
  const missing = missingRuntimePrerequisite() ?? missingArm64Prerequisite();
  if (missing) throw new Error(`the arm64 agent benchmark cannot run here: ${missing}`);
  const started = Date.now();
  const fleet = await startGatewayFleet(
    gateways.map((g) => g.node),
    [],
    // Both agents as the service unit starts them (deploy/systemd/flotilla-agent.service).
    { platforms: { 'bench-arm64': arm64Platform() }, nodeFlags: shippedAgentNodeFlags(repoRoot) },
  );
  try {
    const joinSeconds = Math.round((Date.now() - started) / 1000);
    const rows = await measure(fleet, log);
    rows.push(
      row('both gateways started and Ready', 'fleet', `${joinSeconds} s from the hub's start`, {
        joinSeconds,
      }),
    );
    return { settings: { idleSeconds, podsPerGateway, nodeFlags: shippedAgentNodeFlags(repoRoot) }, rows };
  } finally {
    await fleet.teardown();
  }
}

export const benchmark: Benchmark = {
  name: 'agent-arm64',
  description: 'agent RSS and CPU on an emulated arm64 gateway (includes qemu) next to an amd64 one',
  run: ({ log, repoRoot }) => runArm64Bench(log, repoRoot),
};
