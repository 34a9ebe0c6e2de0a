// The service proxy's rule syncs on real netfilter, each size in a fresh network namespace:
// 1,000, 5,000 and 10,000 ClusterIP Services with 5 endpoints each, in iptables mode (nft
// backend, the host default) and nftables mode. For each: the first full sync, a re-sync by a new
// proxy instance on the same state (an agent restart: rules replaced in place), and 20 one-Service
// updates (one endpoint moved). Next to each, the rule tool alone on the same payload: a raw
// iptables-restore / nft -f of the full payload into another fresh namespace and again over the
// loaded rules, and for updates the tool's own time inside the update. An update is timed twice:
// the whole step (the full desired state in, every Service's model rebuilt and compared, the
// changed one written) and the applier alone (the changed port rendered and loaded; in nftables
// mode sent to the applier's long-lived `nft -i`, so there is no tool run of its own). Goals
// (nftables mode): 10,000 Services fully synced in ≤ 1.5 s, one-Service updates in ≤ 20 ms.
// Needs root.

import { silentLogger } from '../api/logger.js';
import { IptablesApplier } from '../edge-agent/proxy/iptables-applier.js';
import { NftApplier } from '../edge-agent/proxy/nft-applier.js';
import type { ProcessStarter } from '../edge-agent/proxy/nft-session.js';
import type { RuleApplier } from '../edge-agent/proxy/rule-applier.js';
import type { CommandRunner } from '../edge-agent/proxy/run-command.js';
import { type ProxyInput, ServiceProxy } from '../edge-agent/proxy/service-proxy.js';
import { hasCommand, isRoot } from '../test/helpers/environment.js';
import type { Benchmark, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { percentile } from './lib/histogram.js';
import { withOneEndpointMoved, workload } from './lib/proxy-workload.js';
import { missingForRules, ScratchNetns } from './lib/scratch-netns.js';
import { isLoad, type TimedCommand, timedRunner } from './lib/timed-runner.js';

const sizes = (process.env.PROXY_BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
const only = process.env.PROXY_BENCH_MODES?.split(',');
// iptables-nft slows down far more than linearly with the number of chains (firmware-notes/host-runtime.md §3):
// one load of 10,000 Services (60,000 chains) took 17 minutes here. Measured only on request, and
// then only the first full sync.
const slow = process.env.PROXY_BENCH_SLOW === '1';
const slowChains = 40_000;
const chainsPerService = 1 + 5;
const updateRuns = 20;
const goals = { fullSyncMs: 1500, updateMs: 20 };

interface Mode {
  key: string;
  label: string;
  raw: string;
  /** `start`: the namespace's long-lived process starter (the timed runner does not carry it). */
  applier: (run: CommandRunner, start?: ProcessStarter) => RuleApplier & { close?: () => void };
}

const modes: Mode[] = [
  {
    key: 'ipt',
    label: 'flotilla iptables (nft backend)',
    raw: 'raw iptables-nft-restore',
    applier: (run) => new IptablesApplier({ run, log: silentLogger, backend: 'nft' }),
  },
  {
    key: 'nft',
    label: 'flotilla nftables',
    raw: 'raw nft -f',
    applier: (run, start) => new NftApplier({ run, log: silentLogger, ...(start ? { start } : {}) }),
  },
  {
    key: 'legacy',
    label: 'flotilla iptables (legacy backend)',
    raw: 'raw iptables-legacy-restore',
    applier: (run) => new IptablesApplier({ run, log: silentLogger, backend: 'legacy' }),
  },
];

/** A row of `samples` in ms; a scenario not run has none (NaN everywhere, shown as -). */
function row(
  scenario: string,
  server: string,
  samples: number[],
  notes: string,
  details: Record<string, unknown>,
): ResultRow {
  const sorted = Float64Array.from(samples.filter(Number.isFinite)).sort();
  const mean = sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length;
  const [p50Ms, p95Ms, p99Ms] = [50, 95, 99].map((p) => percentile(sorted, p)) as [number, number, number];
  return { scenario, server, rps: 1000 / mean, p50Ms, p95Ms, p99Ms, notes, details };
}

function median(samples: number[]): number {
  return [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The applier's own update time, apart from the proxy's bookkeeping around it. */
function timedUpdates(applier: RuleApplier, times: number[]): RuleApplier {
  return {
    mode: applier.mode,
    syncAll: (ports, node) => applier.syncAll(ports, node),
    hasRules: () => applier.hasRules(),
    update: async (changes, node) => {
      const started = performance.now();
      await applier.update(changes, node);
      times.push(performance.now() - started);
    },
  };
}

/** One proxy instance syncing `state`; returns the time and the load commands it ran. */
async function sync(
  mode: Mode,
  run: CommandRunner,
  commands: TimedCommand[],
  state: ProxyInput,
  proxy?: ServiceProxy,
  updateTimes: number[] = [],
  start?: ProcessStarter,
): Promise<{ proxy: ServiceProxy; ms: number; loads: TimedCommand[]; fullSync: boolean; close: () => void }> {
  const own = proxy ? undefined : mode.applier(run, start);
  const instance =
    proxy ??
    new ServiceProxy({
      applier: timedUpdates(own!, updateTimes),
      nodeName: 'gw-bench',
      addresses: ['192.0.2.1'],
      log: silentLogger,
    });
  commands.length = 0;
  const ms = await timed(async () => {
    instance.setDesired(state);
    await instance.flush();
  });
  return {
    proxy: instance,
    close: () => own?.close?.(),
    ms,
    loads: commands.filter(isLoad),
    fullSync: commands.some(
      (c) => c.input.startsWith('add table') || c.input.startsWith('*nat\n:FLOTILLA-SERVICES'),
    ),
  };
}

async function measure(mode: Mode, n: number, log: (line: string) => void): Promise<ResultRow[]> {
  const size = `${n.toLocaleString('en-US')} svc`;
  const tooSlow = mode.key === 'ipt' && n * chainsPerService > slowChains;
  if (tooSlow && !slow)
    return [
      row(
        `full sync, ${size}`,
        mode.label,
        [Number.NaN],
        'not run: takes ~17 min; PROXY_BENCH_SLOW=1 runs it',
        {},
      ),
    ];
  if (tooSlow) return [await firstSyncOnly(mode, n, size, log)];
  const netns = await ScratchNetns.create('flpb', `${mode.key}-${n}`);
  const commands: TimedCommand[] = [];
  const run = timedRunner(netns.run, (command) => commands.push(command));
  try {
    let state = workload(n);
    const start = netns.run.start;
    const first = await sync(mode, run, commands, state, undefined, [], start);
    log(`${mode.label}, ${size}: first full sync ${first.ms.toFixed(0)} ms`);
    const payload = first.loads.at(-1)!;
    const applierTimes: number[] = [];
    const restart = await sync(mode, run, commands, state, undefined, applierTimes, start);
    log(`${mode.label}, ${size}: re-sync by a new instance ${restart.ms.toFixed(0)} ms`);
    const total: number[] = [];
    const tool: number[] = [];
    let fullSyncs = 0;
    for (let r = 1; r <= updateRuns; r++) {
      state = withOneEndpointMoved(state, r);
      const update = await sync(mode, run, commands, state, restart.proxy);
      total.push(update.ms);
      // nftables updates go to the applier's long-lived nft: no separate tool run to time.
      if (update.loads.length > 0) tool.push(update.loads.reduce((sum, c) => sum + c.ms, 0));
      if (update.fullSync) fullSyncs++;
    }
    restart.proxy.stop();
    first.proxy.stop();
    restart.close(); // the namespace lives on while a process is in it
    first.close();
    const resyncPayload = restart.loads.at(-1)!;
    const rawResync = await timed(() => netns.run(resyncPayload.argv, resyncPayload.input));
    const fresh = await ScratchNetns.create('flpb', `${mode.key}-${n}-raw`);
    const rawFirst = await timed(() => fresh.run(payload.argv, payload.input)).finally(() => fresh.delete());
    log(`${mode.label}, ${size}: raw load ${rawFirst.toFixed(0)} ms, raw re-load ${rawResync.toFixed(0)} ms`);
    const payloadInfo = {
      payloadBytes: payload.input.length,
      payloadLines: payload.input.split('\n').length - 1,
    };
    const goal = (ms: number, limit: number) =>
      mode.key === 'nft' && n === 10_000 ? ` goal ≤ ${limit} ms: ${ms <= limit ? 'met' : 'MISSED'}` : '';
    const updateP50 = median(total);
    return [
      row(`full sync, ${size}`, mode.label, [first.ms], `fresh netns;${goal(first.ms, goals.fullSyncMs)}`, {
        ...payloadInfo,
        toolMs: first.loads.reduce((s, c) => s + c.ms, 0),
      }),
      row(`full sync, ${size}`, mode.raw, [rawFirst], 'same payload, fresh netns', payloadInfo),
      row(`re-sync (restart), ${size}`, mode.label, [restart.ms], 'new instance, rules replaced in place', {
        toolMs: restart.loads.reduce((s, c) => s + c.ms, 0),
      }),
      row(`re-sync (restart), ${size}`, mode.raw, [rawResync], 'same payload over the loaded rules', {
        payloadBytes: resyncPayload.input.length,
      }),
      row(
        `update 1 svc, ${size}`,
        mode.label,
        total,
        `${updateRuns} runs; ${fullSyncs} fell back to a full sync;${goal(updateP50, goals.updateMs)}`,
        { fullSyncs },
      ),
      row(
        `update 1 svc, ${size}`,
        `${mode.label}: applier only`,
        applierTimes,
        `changed port rendered and loaded;${goal(median(applierTimes), goals.updateMs)}`,
        {},
      ),
      row(
        `update 1 svc, ${size}`,
        mode.raw,
        tool.length > 0 ? tool : [Number.NaN],
        tool.length > 0
          ? 'the update payload, tool time inside each run'
          : 'none: updates went to the long-lived nft -i (the applier-only row)',
        {},
      ),
    ];
  } finally {
    await netns.delete();
  }
}

async function firstSyncOnly(
  mode: Mode,
  n: number,
  size: string,
  log: (line: string) => void,
): Promise<ResultRow> {
  const netns = await ScratchNetns.create('flpb', `${mode.key}-${n}`);
  try {
    const first = await sync(mode, netns.run, [], workload(n));
    first.proxy.stop();
    first.close();
    log(`${mode.label}, ${size}: first full sync ${first.ms.toFixed(0)} ms`);
    return row(
      `full sync, ${size}`,
      mode.label,
      [first.ms],
      'fresh netns; only this (a load takes minutes)',
      {},
    );
  } finally {
    await netns.delete();
  }
}

export const benchmark: Benchmark = {
  name: 'proxy',
  description:
    'service proxy: full sync, restart re-sync and one-Service updates at 1k/5k/10k Services, iptables and nftables modes, next to raw iptables-restore / nft -f',
  async run({ log }): Promise<BenchmarkReport> {
    const missing = missingForRules(hasCommand, isRoot());
    if (missing.length > 0) throw new Error(`the proxy benchmark cannot run here: ${missing.join(', ')}`);
    const rows: ResultRow[] = [];
    for (const mode of modes.filter((m) => !only || only.includes(m.key)))
      for (const n of sizes) rows.push(...(await measure(mode, n, log)));
    return { settings: { sizes, endpointsPerService: 5, updateRuns, goals, slow }, rows };
  },
};
