// The fleet benchmark (kubemark's idea): hollow gateways (bench/lib/hollow-gateway.ts) speaking
// the MQTT protocol to a hub process, at one or more fleet sizes. Per size (bench/lib/fleet-run.ts):
// time until every Node is Ready, the hub idle, desired-state traffic counted on the gateways'
// side, then a Deployment of gateways × pods-per-gateway pods with API latency during it.
//
//   npm run bench -- fleet --gateways 500,1000 --pods-per-gateway 10 [--profile] [--save-as fleet-before]
//                          [--restart off] (the kill -9 and restart of the hub at the end)
//                          [--gateways-per-site 50] (0: no site label, segments by /24: 256 each)
import { probeNames } from './lib/api-probes.js';
import type { Benchmark, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { type FleetRunResult, runFleetSize } from './lib/fleet-run.js';
import { type Column, formatTable } from './lib/table.js';

function positive(name: string, text: string | undefined, fallback: number, allowZero = false): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1))
    throw new Error(`--${name}: want a whole number, got ${text}`);
  return value;
}

function onOff(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (text !== 'on' && text !== 'off') throw new Error(`--${name}: want on or off, got ${text}`);
  return text === 'on';
}

const mib = (bytes: number) => bytes / 2 ** 20;
const kib = (bytes: number) => bytes / 1024;

/** One line per figure, one column per fleet size: how the issue's target table reads. */
function figures(results: FleetRunResult[]): string {
  const lines: Array<[string, (r: FleetRunResult) => string | number]> = [
    ['Nodes Ready / gateways', (r) => `${r.join.ready}/${r.gateways}${r.join.converged ? '' : ' (gave up)'}`],
    ['join: seconds until all Ready', (r) => r.join.seconds],
    [
      'join: hub cores (avg) / peak RSS MiB',
      (r) => `${r.join.hub.cores.toFixed(2)} / ${r.join.hub.rssMiBPeak.toFixed(0)}`,
    ],
    ['join: bench process cores (fleet, watches)', (r) => r.join.bench?.cores ?? Number.NaN],
    ['join: desired msgs per gateway', (r) => r.join.perGatewayMessages],
    ['join: desired KiB per gateway', (r) => kib(r.join.perGatewayBytes)],
    ['join: desired MiB total', (r) => mib(r.join.desiredBytes)],
    ['join: sessions dropped and resumed', (r) => r.join.reconnects],
    ['idle: hub cores (avg over the window)', (r) => r.idle?.hub.cores ?? Number.NaN],
    ['idle: hub RSS MiB', (r) => r.idle?.hub.rssMiBEnd ?? Number.NaN],
    ['idle: desired msgs (all gateways)', (r) => r.idle?.desiredMessages ?? Number.NaN],
    ['idle: wire bytes per gateway per min', (r) => r.idle?.wireBytesPerGatewayPerMinute ?? Number.NaN],
    [
      'rollout: pods Running / asked',
      (r) =>
        r.rollout ? `${r.rollout.running}/${r.rollout.pods}${r.rollout.converged ? '' : ' (gave up)'}` : '-',
    ],
    ['rollout: seconds until all Running', (r) => r.rollout?.seconds ?? Number.NaN],
    [
      'rollout: per pod p50 / p99 s',
      (r) =>
        r.rollout
          ? `${(r.rollout.podP50Ms / 1e3).toFixed(1)} / ${(r.rollout.podP99Ms / 1e3).toFixed(1)}`
          : '-',
    ],
    [
      'rollout: per pod until bound p50 / p99 s',
      (r) =>
        r.rollout?.boundP50Ms !== undefined
          ? `${(r.rollout.boundP50Ms / 1e3).toFixed(1)} / ${(r.rollout.boundP99Ms / 1e3).toFixed(1)}`
          : '-',
    ],
    [
      'rollout: hub cores / peak RSS MiB',
      (r) => (r.rollout ? `${r.rollout.hub.cores.toFixed(2)} / ${r.rollout.hub.rssMiBPeak.toFixed(0)}` : '-'),
    ],
    ['rollout: bench process cores (fleet, watch, probes)', (r) => r.rollout?.bench?.cores ?? Number.NaN],
    ['rollout: desired KiB per gateway', (r) => (r.rollout ? kib(r.rollout.perGatewayBytes) : Number.NaN)],
    ...probeNames.map(
      (probe) =>
        [
          `rollout: ${probe} p50 / p99 ms`,
          (r: FleetRunResult) => {
            const p = r.rollout?.api[probe];
            return p
              ? `${p.p50Ms.toFixed(0)} / ${p.p99Ms.toFixed(0)}${p.errors ? ` (${p.errors} failed)` : ''}`
              : '-';
          },
        ] as [string, (r: FleetRunResult) => string | number],
    ),
    [
      'with pods, idle: hub cores / RSS MiB',
      (r) => (r.loaded ? `${r.loaded.hub.cores.toFixed(2)} / ${r.loaded.hub.rssMiBEnd.toFixed(0)}` : '-'),
    ],
    [
      'one Service created: msgs / B per gateway',
      (r) => {
        const c = r.serviceChange?.create;
        return c ? `${c.messagesPerGateway.toFixed(2)} / ${c.bytesPerGateway.toFixed(0)}` : '-';
      },
    ],
    [
      'one Service changed: msgs / B per gateway',
      (r) => {
        const c = r.serviceChange?.change;
        return c ? `${c.messagesPerGateway.toFixed(2)} / ${c.bytesPerGateway.toFixed(0)}` : '-';
      },
    ],
    [
      'kill -9: hub up / all reconnected / all Ready s',
      (r) =>
        r.restart
          ? `${r.restart.hubUpSeconds.toFixed(0)} / ${r.restart.reconnectedSeconds.toFixed(0)} / ${r.restart.readySeconds.toFixed(0)}${r.restart.converged ? '' : ' (gave up)'}`
          : '-',
    ],
    [
      'kill -9: gateways back p50 / p90 / p99 s, TLS attempts each',
      (r) =>
        r.restart
          ? `${r.restart.reconnectP50Seconds.toFixed(0)} / ${r.restart.reconnectP90Seconds.toFixed(0)} / ${r.restart.reconnectP99Seconds.toFixed(0)}, ${r.restart.attemptsPerGateway.toFixed(2)}`
          : '-',
    ],
    [
      'kill -9: fleet process cores / event loop busy until all back',
      (r) =>
        r.restart?.fleetCores !== undefined
          ? `${r.restart.fleetCores.toFixed(2)} / ${(100 * r.restart.fleetLoopBusy).toFixed(0)}%`
          : '-',
    ],
    [
      'kill -9: pod restarts / Nodes not Ready meanwhile',
      (r) => (r.restart ? `${r.restart.podRestarts} / ${r.restart.nodesNotReadyMeanwhile}` : '-'),
    ],
    ['hub exited during the run', (r) => (r.hubExited ? 'yes' : 'no')],
  ];
  const columns: Column<[string, (r: FleetRunResult) => string | number]>[] = [
    { header: 'figure', value: ([label]) => label },
    ...results.map((r) => ({
      header: `${r.gateways} gw × ${r.podsPerGateway}`,
      value: ([, get]: [string, (r: FleetRunResult) => string | number]) => get(r),
    })),
  ];
  return formatTable(columns, lines);
}

function row(r: FleetRunResult): ResultRow {
  const rollout = r.rollout;
  return {
    scenario: `${r.gateways} gateways × ${r.podsPerGateway} pods`,
    server: 'hub',
    rps: rollout && rollout.seconds > 0 ? rollout.running / rollout.seconds : 0,
    p50Ms: rollout?.podP50Ms ?? Number.NaN,
    p95Ms: Number.NaN,
    p99Ms: rollout?.podP99Ms ?? Number.NaN,
    notes: `${r.join.ready}/${r.gateways} Ready in ${r.join.seconds.toFixed(0)} s; rps = pods Running per second; latency per pod, ADDED → Running in the watch`,
    details: r as unknown as Record<string, unknown>,
  };
}

export const benchmark: Benchmark = {
  name: 'fleet',
  description:
    'hollow gateways over MQTT/TLS: join, idle, Deployment rollout, a Service change, kill -9 of the hub (--gateways N[,N…] --pods-per-gateway K [--gateways-per-site S] [--restart off])',
  async run({ repoRoot, profileDir, log, flags }): Promise<BenchmarkReport> {
    const sizes = (flags.gateways ?? '100').split(',').map((n) => positive('gateways', n, 0));
    const settings = {
      podsPerGateway: positive('pods-per-gateway', flags['pods-per-gateway'], 10, true),
      joinRate: positive('join-rate', flags['join-rate'], 100),
      idleSeconds: positive('idle-seconds', flags['idle-seconds'], 60),
      timeoutSeconds: positive('timeout', flags.timeout, 600),
      restart: onOff('restart', flags.restart, true),
      gatewaysPerSite: positive('gateways-per-site', flags['gateways-per-site'], 50, true),
    };
    const results: FleetRunResult[] = [];
    for (const gateways of sizes) {
      log(`fleet: ${gateways} gateways, ${settings.podsPerGateway} pods each`);
      results.push(await runFleetSize({ gateways, ...settings, repoRoot, profileDir, log }));
      for (const fn of results.at(-1)!.joinProfile ?? [])
        log(`  join profile: ${fn.percent.toFixed(1)}% ${fn.function} ${fn.location}`);
      for (const fn of results.at(-1)!.rolloutProfile ?? [])
        log(`  rollout profile: ${fn.percent.toFixed(1)}% ${fn.function} ${fn.location}`);
    }
    return {
      settings: { sizes, ...settings },
      rows: results.map(row),
      table: figures(results),
      ...(flags['save-as'] ? { saveAs: flags['save-as'] } : {}),
    };
  },
};
