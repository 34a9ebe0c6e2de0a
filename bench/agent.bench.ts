// The agent on a real gateway: the hub process, a gateway runtime (containerd in its own netns,
// test images imported) and the `flotilla agent` process, joined over MQTT through a counting TCP
// proxy. Measures pod start as a user sees it (create → Running seen by a watch) next to the raw
// CRI calls for the same pod, the agent's RSS idle and with 20 pods, and the MQTT bytes an idle
// gateway costs. Needs root and the real-runtime prerequisites of the e2e tests.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../api/types.js';
import { containerConfig, sandboxConfig } from '../edge-agent/pods/container-config.js';
import type { Container } from '../edge-agent/pods/pod-spec.js';
import { containerdPaths } from '../edge-agent/runtime/containerd-config.js';
import { captureLogger } from '../test/helpers/capture-logger.js';
import { eventually } from '../test/helpers/eventually.js';
import { exited, type HubProcess, runFlotilla, startHubProcess } from '../test/helpers/hub-process.js';
import {
  missingRuntimePrerequisite,
  startTestGatewayRuntime,
  type TestGatewayRuntime,
} from '../test/helpers/test-gateway-runtime.js';
import { type ApiClient, createApiClient, podsPath, type WatchStream } from './lib/agent-api.js';
import type { Benchmark, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { startCountingProxy } from './lib/counting-proxy.js';
import { LatencyHistogram, type LatencySummary } from './lib/histogram.js';
import { readRssKiB } from './lib/process-rss.js';

const nodeName = 'gw-bench-1';
const runs = 20;
const loadedPods = 20;
const idleSeconds = 30;

function benchPod(name: string, image: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'agent-bench' } },
    spec: {
      // busybox sleep as PID 1 ignores SIGTERM: a short grace keeps deletes quick.
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image, command: ['sleep', '3600'] }],
    },
  };
}

interface AgentProcess {
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

function startAgent(mqttUrl: string, hub: HubProcess, gw: TestGatewayRuntime, dataDir: string): AgentProcess {
  const child = runFlotilla([
    'agent',
    ...['--hub', mqttUrl, '--token', hub.nodeToken, '--node-name', nodeName, '--data-dir', dataDir],
    ...['--runtime-endpoint', gw.containerd.endpoint, '--pause-image', gw.pauseImage],
    // Pod IPs from the Node's podCIDR: the hub refuses pod IPs outside it.
    ...['--cni-conf-dir', containerdPaths(gw.dataDir).cniConfDir],
  ]);
  let out = '';
  const append = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  return {
    pid: child.pid!,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(killer);
    },
  };
}

async function waitNodeReady(api: ApiClient): Promise<void> {
  await eventually(
    async () => {
      const reply = await api.request('GET', `/api/v1/nodes/${nodeName}`);
      if (reply.status !== 200) return false;
      const node = JSON.parse(reply.body) as { status?: { conditions?: { type: string; status: string }[] } };
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

async function waitGone(api: ApiClient, name: string): Promise<void> {
  await eventually(async () => (await api.request('GET', `${podsPath}/${name}`)).status === 404, {
    timeoutMs: 60_000,
    intervalMs: 50,
  });
}

/** One create through the API, timed until a watch on that pod alone reports phase Running. */
async function timeApiStart(api: ApiClient, name: string, image: string): Promise<bigint> {
  const watch: WatchStream = await api.watchPod(name);
  try {
    const start = process.hrtime.bigint();
    const running = watch.until((pod) => pod.status?.phase === 'Running');
    const reply = await api.request('POST', podsPath, JSON.stringify(benchPod(name, image)));
    if (reply.status !== 201) throw new Error(`create ${name}: ${reply.status} ${reply.body}`);
    await running;
    return process.hrtime.bigint() - start;
  } finally {
    watch.close();
  }
}

async function measureApiPath(api: ApiClient, gw: TestGatewayRuntime, log: (l: string) => void) {
  const latency = new LatencyHistogram();
  for (let i = 0; i < runs; i++) {
    const name = `start-${i}`;
    const ns = await timeApiStart(api, name, gw.busyboxImage);
    latency.recordSince(0n, ns);
    await api.request('DELETE', `${podsPath}/${name}`);
    await waitGone(api, name);
  }
  log(`api path: ${runs} runs done`);
  return latency.summarize();
}

/** The same pod straight on CRI: sandbox, create, start, until the runtime says RUNNING. */
async function measureCriPath(gw: TestGatewayRuntime, log: (l: string) => void) {
  const latency = new LatencyHistogram();
  const podDir = mkdtempSync(join(tmpdir(), 'flotilla-bench-cri-'));
  try {
    for (let i = 0; i < runs; i++) {
      const manifest = benchPod(`raw-${i}`, gw.busyboxImage);
      const uid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const pod = { ...manifest, metadata: { ...(manifest.metadata as object), uid } } as KubeObject;
      const container = (manifest.spec as { containers: Container[] }).containers[0]!;
      const start = process.hrtime.bigint();
      const sandbox = sandboxConfig(pod, 0, { podDir });
      const sandboxId = await gw.cri.runPodSandbox(sandbox);
      const config = containerConfig(pod, container, 'app', 0, { envs: [], mounts: [] });
      const id = await gw.cri.createContainer(sandboxId, config, sandbox);
      await gw.cri.startContainer(id);
      await eventually(async () => (await gw.cri.containerStatus(id))?.state === 'RUNNING', {
        timeoutMs: 30_000,
        intervalMs: 5,
      });
      latency.recordSince(start);
      await gw.cri.stopContainer(id, 0);
      await gw.cri.removeContainer(id);
      await gw.cri.stopPodSandbox(sandboxId);
      await gw.cri.removePodSandbox(sandboxId);
    }
  } finally {
    rmSync(podDir, { recursive: true, force: true });
  }
  log(`raw CRI path: ${runs} runs done`);
  return latency.summarize();
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

async function runAgentBench(log: (l: string) => void): Promise<BenchmarkReport> {
  const missing = missingRuntimePrerequisite();
  if (missing) throw new Error(`the agent benchmark needs a real runtime host: ${missing}`);
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const hub = await startHubProcess();
    cleanups.push(async () => {
      await hub.stop();
      rmSync(hub.dataDir, { recursive: true, force: true });
    });
    const gw = await startTestGatewayRuntime('benchgw', captureLogger(log));
    cleanups.push(() => gw.teardown());
    const proxy = await startCountingProxy(new URL(hub.mqttUrl));
    cleanups.push(() => proxy.close());
    const agentDir = mkdtempSync(join(tmpdir(), 'flotilla-bench-agent-'));
    cleanups.push(async () => rmSync(agentDir, { recursive: true, force: true }));
    const agent = startAgent(proxy.url, hub, gw, agentDir);
    cleanups.push(() => agent.stop());
    const api = createApiClient(
      hub.apiUrl,
      readFileSync(join(hub.dataDir, 'pki', 'ca.crt'), 'utf8'),
      hub.token,
    );
    cleanups.push(async () => api.close());

    await waitNodeReady(api).catch((err: Error) => {
      throw new Error(`${err.message}\nagent output:\n${agent.output()}`);
    });
    log(`node Ready; idling ${idleSeconds} s`);

    // Idle: the joined gateway with no pods, after its start-up traffic has settled.
    await sleep(5_000);
    const before = proxy.counts();
    await sleep(idleSeconds * 1000);
    const after = proxy.counts();
    const idleRssKiB = readRssKiB(agent.pid);
    const up = after.agentToHub - before.agentToHub;
    const down = after.hubToAgent - before.hubToAgent;
    const perMinute = (bytes: number) => Math.round((bytes * 60) / idleSeconds);

    const api20 = await measureApiPath(api, gw, log);
    const cri20 = await measureCriPath(gw, log);

    for (let i = 0; i < loadedPods; i++) {
      const reply = await api.request(
        'POST',
        podsPath,
        JSON.stringify(benchPod(`load-${i}`, gw.busyboxImage)),
      );
      if (reply.status !== 201) throw new Error(`create load-${i}: ${reply.status} ${reply.body}`);
    }
    await eventually(
      async () => {
        const list = JSON.parse(
          (await api.request('GET', `${podsPath}?labelSelector=app%3Dagent-bench`)).body,
        ) as {
          items: { status?: { phase?: string } }[];
        };
        return list.items.filter((p) => p.status?.phase === 'Running').length === loadedPods;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    await sleep(10_000);
    const loadedRssKiB = readRssKiB(agent.pid);
    log(`${loadedPods} pods Running; agent RSS ${loadedRssKiB} KiB`);

    const ratio = (a: number, b: number) => (a / b).toFixed(1);
    return {
      settings: { runs, loadedPods, idleSeconds },
      rows: [
        latencyRow(
          'create → Running (watch)',
          'hub+agent',
          api20,
          `${runs} runs; ${ratio(api20.p50Ms, cri20.p50Ms)}× raw CRI at p50, ${ratio(api20.p99Ms, cri20.p99Ms)}× at p99`,
        ),
        latencyRow(
          'same pod, raw CRI calls',
          'containerd',
          cri20,
          `${runs} runs; sandbox+create+start until RUNNING`,
        ),
        valueRow(
          'agent RSS, idle',
          `${Math.round(idleRssKiB / 1024)} MiB (${idleRssKiB} KiB VmRSS) after ${idleSeconds + 5} s idle`,
          { rssKiB: idleRssKiB },
        ),
        valueRow(
          `agent RSS, ${loadedPods} pods`,
          `${Math.round(loadedRssKiB / 1024)} MiB (${loadedRssKiB} KiB VmRSS)`,
          { rssKiB: loadedRssKiB },
        ),
        valueRow(
          'MQTT bytes, idle gateway',
          `${perMinute(up + down)} B/min (${perMinute(up)} up, ${perMinute(down)} down); measured ${idleSeconds} s, scaled ×${60 / idleSeconds}`,
          { idleSeconds, agentToHub: up, hubToAgent: down, bytesPerMinute: perMinute(up + down) },
        ),
      ],
    };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => log(`cleanup: ${String(err)}`));
    }
  }
}

export const benchmark: Benchmark = {
  name: 'agent',
  description: 'pod start via hub+agent vs raw CRI, agent RSS, idle MQTT bytes (real containerd, root)',
  run: ({ log }) => runAgentBench(log),
};
