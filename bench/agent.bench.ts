// The agent on a real gateway (bench/lib/agent-rig.ts: the hub process, containerd in its own
// netns, the `flotilla agent` process started with the node flags of its systemd unit). Measures
// pod start as a user sees it (create → Running seen by a watch) next to the raw CRI calls for
// the same pod, run by run in turn so that the shared machine's load weighs on both alike; the
// agent's RSS idle, with 20 pods, and idle again without its metrics endpoint (prom-client not
// loaded); and the MQTT bytes an idle gateway costs. Budget (issue 17): RSS ≤ 55 MiB idle,
// ≤ 70 MiB with 20 pods; create → Running ≤ 1.3× the raw CRI calls at p50 and p99.
// Needs root and the real-runtime prerequisites of the e2e tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../api/types.js';
import { containerConfig, sandboxConfig } from '../edge-agent/pods/container-config.js';
import type { Container } from '../edge-agent/pods/pod-spec.js';
import { PodUidLabel } from '../edge-agent/pods/runtime-labels.js';
import { eventually } from '../test/helpers/eventually.js';
import { type ApiClient, podsPath, type WatchStream } from './lib/agent-api.js';
import {
  type AgentRig,
  agentNodeFlagsFrom,
  benchPod,
  podsIn,
  startAgentRig,
  waitGone,
} from './lib/agent-rig.js';
import type { Benchmark, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { LatencyHistogram, type LatencySummary } from './lib/histogram.js';
import { readRssKiB } from './lib/process-rss.js';

const runs = 20;
const loadedPods = 20;
const idleSeconds = 30;
const budget = { idleMiB: 55, loadedMiB: 70, ratio: 1.3 };

/** One create through the API, timed until a watch on that pod alone reports it bound, then Running. */
async function timeApiStart(
  api: ApiClient,
  name: string,
  image: string,
): Promise<{ bound: bigint; running: bigint }> {
  const watch: WatchStream = await api.watchPod(name);
  try {
    const start = process.hrtime.bigint();
    let boundAt = 0n;
    const bound = watch
      .until((pod) => pod.spec?.nodeName !== undefined)
      .then(() => {
        boundAt = process.hrtime.bigint();
      });
    const running = watch.until((pod) => pod.status?.phase === 'Running');
    const reply = await api.request('POST', podsPath, JSON.stringify(benchPod(name, image)));
    if (reply.status !== 201) throw new Error(`create ${name}: ${reply.status} ${reply.body}`);
    await running;
    const end = process.hrtime.bigint();
    await bound;
    return { bound: boundAt - start, running: end - start };
  } finally {
    watch.close();
  }
}

/** The same pod straight on CRI: sandbox, create, start, until the runtime says RUNNING. */
async function timeCriStart(rig: AgentRig, i: number, podDir: string): Promise<bigint> {
  const { gw } = rig;
  const manifest = benchPod(`raw-${i}`, gw.busyboxImage);
  const uid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const pod = { ...manifest, metadata: { ...manifest.metadata, uid } } as KubeObject;
  const container = (manifest.spec as { containers: Container[] }).containers[0]!;
  const sandbox = sandboxConfig(pod, 0, { podDir });
  const config = containerConfig(pod, container, 'app', 0, { envs: [], mounts: [] });
  // Without the pod UID label the agent on this runtime does not take the pod for an orphan of
  // its own and stop it under our feet (its garbage collection).
  delete sandbox.labels[PodUidLabel];
  delete config.labels[PodUidLabel];
  const start = process.hrtime.bigint();
  const sandboxId = await gw.cri.runPodSandbox(sandbox);
  const id = await gw.cri.createContainer(sandboxId, config, sandbox);
  await gw.cri.startContainer(id);
  await eventually(async () => (await gw.cri.containerStatus(id))?.state === 'RUNNING', {
    timeoutMs: 30_000,
    intervalMs: 5,
  });
  const elapsed = process.hrtime.bigint() - start;
  await gw.cri.stopContainer(id, 0);
  await gw.cri.removeContainer(id);
  await gw.cri.stopPodSandbox(sandboxId);
  await gw.cri.removePodSandbox(sandboxId);
  return elapsed;
}

/** API and raw CRI runs in turn (which goes first alternates). */
async function measureStarts(rig: AgentRig, log: (l: string) => void) {
  const api = new LatencyHistogram();
  const cri = new LatencyHistogram();
  const bound = new LatencyHistogram();
  const podDir = mkdtempSync(join(tmpdir(), 'flotilla-bench-cri-'));
  const apiRun = async (i: number) => {
    const name = `start-${i}`;
    const times = await timeApiStart(rig.api, name, rig.gw.busyboxImage);
    api.recordSince(0n, times.running);
    bound.recordSince(0n, times.bound);
    await rig.api.request('DELETE', `${podsPath}/${name}`);
    await waitGone(rig.api, name);
  };
  try {
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        await apiRun(i);
        cri.recordSince(0n, await timeCriStart(rig, i, podDir));
      } else {
        cri.recordSince(0n, await timeCriStart(rig, i, podDir));
        await apiRun(i);
      }
    }
  } finally {
    rmSync(podDir, { recursive: true, force: true });
  }
  log(`${runs} API and ${runs} raw CRI starts done`);
  return { api: api.summarize(), cri: cri.summarize(), bound: bound.summarize() };
}

function latencyRow(scenario: string, server: string, s: LatencySummary, notes: string): ResultRow {
  return {
    scenario,
    server,
    rps: s.meanMs > 0 ? 1000 / s.meanMs : 0,
    p50Ms: s.p50Ms,
    p95Ms: s.p95Ms,
    p99Ms: s.p99Ms,
    notes,
    details: { ...s },
  };
}

function valueRow(scenario: string, notes: string, details: Record<string, unknown>): ResultRow {
  return { scenario, server: 'agent', rps: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, notes, details };
}

const mib = (kib: number) => Math.round(kib / 1024);
const verdict = (met: boolean) => (met ? 'met' : 'missed');

function rssRow(scenario: string, kib: number, limitMiB: number, when: string): ResultRow {
  return valueRow(
    scenario,
    `${mib(kib)} MiB (${kib} KiB VmRSS) ${when}; budget ${limitMiB} MiB ${verdict(kib <= limitMiB * 1024)}`,
    { rssKiB: kib, budgetMiB: limitMiB },
  );
}

async function runAgentBench(
  log: (l: string) => void,
  repoRoot: string,
  flags: Record<string, string | undefined>,
): Promise<BenchmarkReport> {
  const nodeFlags = agentNodeFlagsFrom(flags['agent-node-flags'], repoRoot);
  log(`agent node flags: ${nodeFlags.join(' ') || '(none)'}`);
  const rig = await startAgentRig(log, { nodeFlags });
  try {
    const { api, proxy } = rig;
    log(`node Ready; idling ${idleSeconds} s`);
    // Idle: the joined gateway with no pods, after its start-up traffic has settled.
    await sleep(5_000);
    const before = proxy.counts();
    await sleep(idleSeconds * 1000);
    const after = proxy.counts();
    const idleRssKiB = readRssKiB(rig.agent.pid);
    const up = after.agentToHub - before.agentToHub;
    const down = after.hubToAgent - before.hubToAgent;
    const perMinute = (bytes: number) => Math.round((bytes * 60) / idleSeconds);

    const starts = await measureStarts(rig, log);

    for (let i = 0; i < loadedPods; i++) {
      const reply = await api.request(
        'POST',
        podsPath,
        JSON.stringify(benchPod(`load-${i}`, rig.gw.busyboxImage)),
      );
      if (reply.status !== 201) throw new Error(`create load-${i}: ${reply.status} ${reply.body}`);
    }
    await eventually(async () => (await podsIn(api, 'Running')).length === loadedPods, {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    await sleep(10_000);
    const loadedRssKiB = readRssKiB(rig.agent.pid);
    log(`${loadedPods} pods Running; agent RSS ${loadedRssKiB} KiB`);

    // prom-client's share: the same gateway, idle again, with an agent that serves no metrics.
    for (let i = 0; i < loadedPods; i++) await api.request('DELETE', `${podsPath}/load-${i}`);
    await eventually(async () => (await podsIn(api, 'Running')).length === 0, { timeoutMs: 120_000 });
    await rig.restartAgent(['--metrics-bind', 'off']);
    await sleep((idleSeconds + 5) * 1000);
    const bareRssKiB = readRssKiB(rig.agent.pid);
    log(`idle without metrics: agent RSS ${bareRssKiB} KiB`);

    const ratio = (a: number, b: number) => a / b;
    const p50 = ratio(starts.api.p50Ms, starts.cri.p50Ms);
    const p99 = ratio(starts.api.p99Ms, starts.cri.p99Ms);
    const met = p50 <= budget.ratio && p99 <= budget.ratio;
    return {
      settings: { runs, loadedPods, idleSeconds, nodeFlags },
      rows: [
        latencyRow(
          'create → Running (watch)',
          'hub+agent',
          starts.api,
          `${runs} runs; ${p50.toFixed(2)}× raw CRI at p50, ${p99.toFixed(2)}× at p99; budget ${budget.ratio}× ${verdict(met)}`,
        ),
        latencyRow(
          'create → bound (watch)',
          'hub',
          starts.bound,
          `${runs} runs; the scheduler's share of the row above`,
        ),
        latencyRow(
          'same pod, raw CRI calls',
          'containerd',
          starts.cri,
          `${runs} runs, in turn with the API runs; sandbox+create+start until RUNNING`,
        ),
        rssRow('agent RSS, idle', idleRssKiB, budget.idleMiB, `after ${idleSeconds + 5} s idle`),
        rssRow(`agent RSS, ${loadedPods} pods`, loadedRssKiB, budget.loadedMiB, '10 s after all Running'),
        valueRow(
          'agent RSS, idle, --metrics-bind off',
          `${mib(bareRssKiB)} MiB (${bareRssKiB} KiB): prom-client and the metrics endpoint cost ${mib(idleRssKiB - bareRssKiB)} MiB`,
          { rssKiB: bareRssKiB, metricsCostKiB: idleRssKiB - bareRssKiB },
        ),
        valueRow(
          'MQTT bytes, idle gateway',
          `${perMinute(up + down)} B/min (${perMinute(up)} up, ${perMinute(down)} down); measured ${idleSeconds} s, scaled ×${60 / idleSeconds}`,
          { idleSeconds, agentToHub: up, hubToAgent: down, bytesPerMinute: perMinute(up + down) },
        ),
      ],
    };
  } finally {
    await rig.stop();
  }
}

export const benchmark: Benchmark = {
  name: 'agent',
  description: 'pod start via hub+agent vs raw CRI, agent RSS, idle MQTT bytes (real containerd, root)',
  run: ({ log, repoRoot, flags }) => runAgentBench(log, repoRoot, flags),
};
