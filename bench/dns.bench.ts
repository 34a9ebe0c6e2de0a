// Service DNS benchmark: how long the agent takes to rebuild its record table from a desired
// state (100, 1,000 and 5,000 Services), and queries per second and latency of the responder
// (bench/dns-server.ts, 1,000 Services, its own process) over UDP on loopback for an
// authoritative ClusterIP answer, a headless answer (5 addresses), an NXDOMAIN and a name
// forwarded to an upstream. Closed loop, 16 queries in flight.
import { createSocket } from 'node:dgram';
import { encode, RECURSION_DESIRED } from 'dns-packet';
import { dnsRecords } from '../edge-agent/dns/dns-records.js';
import type { Benchmark, BenchmarkOptions, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { startChildServer } from './lib/child-server.js';
import { benchServices } from './lib/dns-fixtures.js';
import { LatencyHistogram } from './lib/histogram.js';

const settings = { tableSizes: [100, 1_000, 5_000], servedServices: 1_000, inFlight: 16, warmupMs: 500 };

const queries = [
  { scenario: 'A, ClusterIP Service', name: 'svc-7.bench.svc.cluster.local' },
  { scenario: 'A, headless Service (5 addresses)', name: 'svc-10.bench.svc.cluster.local' },
  { scenario: 'NXDOMAIN in the cluster domain', name: 'nope.bench.svc.cluster.local' },
  { scenario: 'forwarded to the upstream', name: 'printer.plant.example' },
];

function tableRow(size: number, seconds: number): ResultRow {
  const { services, slices } = benchServices(size);
  const latency = new LatencyHistogram();
  const deadline = performance.now() + Math.min(seconds, 2) * 1000;
  let builds = 0;
  const started = performance.now();
  while (performance.now() < deadline || builds < 5) {
    const t0 = process.hrtime.bigint();
    dnsRecords(services, slices, 'cluster.local', builds);
    latency.recordSince(t0);
    builds += 1;
  }
  const summary = latency.summarize();
  return {
    scenario: `record table from ${size.toLocaleString('en')} Services`,
    server: 'in process',
    rps: builds / ((performance.now() - started) / 1000),
    p50Ms: summary.p50Ms,
    p95Ms: summary.p95Ms,
    p99Ms: summary.p99Ms,
    notes: 'rebuilds/s; every tenth headless with 5 endpoints',
    details: { builds },
  };
}

/** `inFlight` workers, each a UDP socket asking again as soon as it has its answer. */
async function load(
  port: number,
  name: string,
  durationMs: number,
  histogram?: LatencyHistogram,
): Promise<number> {
  const deadline = performance.now() + durationMs;
  let answered = 0;
  const worker = (index: number) =>
    new Promise<void>((resolve) => {
      const socket = createSocket('udp4');
      let id = index;
      let sentAt = 0n;
      const send = () => {
        if (performance.now() >= deadline) {
          socket.close();
          resolve();
          return;
        }
        id = (id + settings.inFlight) & 0xffff;
        sentAt = process.hrtime.bigint();
        socket.send(
          encode({ type: 'query', id, flags: RECURSION_DESIRED, questions: [{ name, type: 'A' }] }),
          port,
          '127.0.0.1',
        );
      };
      socket.on('message', (message) => {
        if (message.readUInt16BE(0) !== id) return;
        histogram?.recordSince(sentAt);
        answered += 1;
        send();
      });
      send();
    });
  await Promise.all(Array.from({ length: settings.inFlight }, (_, i) => worker(i)));
  return answered;
}

export const benchmark: Benchmark = {
  name: 'dns',
  description: 'service DNS: record table rebuilds, and UDP queries/s and latency of the responder',
  async run(options: BenchmarkOptions): Promise<BenchmarkReport> {
    const rows = settings.tableSizes.map((size) => tableRow(size, options.seconds));
    const server = await startChildServer({
      args: ['--import', 'tsx', 'bench/dns-server.ts', String(settings.servedServices)],
      cwd: options.repoRoot,
      readyLine: /dns server on (\d+)/,
      readyTimeoutMs: 20_000,
      label: 'dns-server',
    });
    try {
      const port = Number(server.match[1]);
      for (const query of queries) {
        await load(port, query.name, settings.warmupMs);
        const histogram = new LatencyHistogram();
        const started = performance.now();
        const answered = await load(port, query.name, options.seconds * 1000, histogram);
        const summary = histogram.summarize();
        rows.push({
          scenario: query.scenario,
          server: `responder, ${settings.servedServices.toLocaleString('en')} Services`,
          rps: answered / ((performance.now() - started) / 1000),
          p50Ms: summary.p50Ms,
          p95Ms: summary.p95Ms,
          p99Ms: summary.p99Ms,
          notes: `UDP, ${settings.inFlight} in flight`,
          details: { answered },
        });
      }
    } finally {
      await server.stop();
    }
    return { settings, rows };
  },
};
