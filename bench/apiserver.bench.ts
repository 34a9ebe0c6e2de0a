// API server benchmark: GET one pod, LIST 1k and 10k pods, CREATE, and watch fan-out to 100
// watchers, against the hub and, in the same run, against a bare node:https/node:http server
// answering the same URLs with fixed bodies captured from the hub. The hub and the bare server
// each run in their own process; this process only generates load.

import { startBareProcess } from './lib/bare-process.js';
import type { Benchmark, BenchmarkOptions, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import {
  closeEndpoint,
  createEndpoint,
  type Endpoint,
  type RequestSpec,
  send,
  sendJson,
} from './lib/http-client.js';
import { type LoadResult, runLoad } from './lib/http-load.js';
import { startHubProcess } from './lib/hub-process.js';
import { aNamespace, aPod, namespacePath, podName } from './lib/pod-fixtures.js';
import { runFanout } from './lib/watch-fanout.js';

const settings = {
  maxInFlight: 32,
  seed: { small: 1_000, large: 10_000, concurrency: 32, timeoutMs: 300_000 },
  fanout: { watchers: 100, warmupEvents: 20, events: 500, writeConcurrency: 8, timeoutMs: 60_000 },
};

const ns = { small: 'bench-1k', large: 'bench-10k', create: 'bench-create', fanout: 'bench-fanout' };

interface LoadScenario {
  name: string;
  concurrency: number;
  maxRequests: number;
  warmupRequests: number;
  expectStatus: number;
  request: (seq: number, endpoint: Endpoint) => RequestSpec;
}

const loadScenarios: LoadScenario[] = [
  {
    name: 'GET one pod',
    concurrency: 16,
    maxRequests: 200_000,
    warmupRequests: 500,
    expectStatus: 200,
    request: () => ({ method: 'GET', path: `${namespacePath(ns.small)}/${podName('pod', 0)}` }),
  },
  {
    name: 'LIST 1k pods',
    concurrency: 8,
    maxRequests: 20_000,
    warmupRequests: 20,
    expectStatus: 200,
    request: () => ({ method: 'GET', path: namespacePath(ns.small) }),
  },
  {
    name: 'LIST 10k pods',
    concurrency: 4,
    maxRequests: 500,
    warmupRequests: 4,
    expectStatus: 200,
    request: () => ({ method: 'GET', path: namespacePath(ns.large) }),
  },
  {
    name: 'CREATE pod',
    concurrency: 16,
    maxRequests: 50_000,
    warmupRequests: 200,
    expectStatus: 201,
    request: (seq, endpoint) => {
      // Distinct names per server, so the hub never answers 409 AlreadyExists.
      const name = podName(`create-${endpoint.label.replace(/\W+/g, '')}`, seq);
      return { method: 'POST', path: namespacePath(ns.create), body: JSON.stringify(aPod(name)) };
    },
  },
];

async function run(options: BenchmarkOptions): Promise<BenchmarkReport> {
  const durationMs = options.seconds * 1000;
  const rows: ResultRow[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    options.log('starting the hub (dist/cli/flotilla.js) in a child process');
    const hub = await startHubProcess(options.repoRoot, options.profileDir);
    cleanups.push(() => hub.stop());
    const hubEndpoint = createEndpoint('hub', hub.apiUrl, {
      ca: hub.caPem,
      token: hub.token,
      maxSockets: settings.maxInFlight,
    });
    cleanups.push(() => closeEndpoint(hubEndpoint));

    for (const name of Object.values(ns)) {
      await sendJson(
        hubEndpoint,
        { method: 'POST', path: '/api/v1/namespaces', body: JSON.stringify(aNamespace(name)) },
        201,
      );
    }
    options.log(`seeding ${settings.seed.small + settings.seed.large} pods over HTTPS`);
    rows.push(seedRow(await seedPods(hubEndpoint)));
    const fixtures = await captureFixtures(hubEndpoint);

    options.log('starting the bare node:http(s) server in a child process');
    const bare = await startBareProcess(options.repoRoot, fixtures, hub.serving, options.profileDir);
    cleanups.push(() => bare.stop());
    const endpoints = [
      hubEndpoint,
      createEndpoint('bare https', bare.httpsUrl, {
        ca: hub.caPem,
        token: hub.token,
        maxSockets: settings.maxInFlight,
      }),
      createEndpoint('bare http', bare.httpUrl, { token: hub.token, maxSockets: settings.maxInFlight }),
    ];
    for (const endpoint of endpoints.slice(1)) cleanups.push(() => closeEndpoint(endpoint));

    for (const scenario of loadScenarios) {
      for (const endpoint of endpoints) {
        options.log(`${scenario.name} against ${endpoint.label}`);
        const result = await runLoad(endpoint, {
          ...scenario,
          durationMs,
          request: (seq) => scenario.request(seq, endpoint),
        });
        rows.push(loadRow(scenario.name, scenario.concurrency, endpoint.label, result));
      }
    }
    for (const endpoint of endpoints) {
      options.log(`watch fan-out to ${settings.fanout.watchers} watchers against ${endpoint.label}`);
      rows.push(await fanoutRow(endpoint, hub.token, hub.caPem));
    }
    compareWithBare(rows);
    return {
      settings: { ...settings, secondsPerScenario: options.seconds, loadScenarios: scenarioSettings() },
      rows,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** Seeding goes through HTTP like any client would, so it doubles as a bulk CREATE measurement. */
function seedPods(endpoint: Endpoint): Promise<LoadResult> {
  const { small, large, concurrency, timeoutMs } = settings.seed;
  return runLoad(endpoint, {
    concurrency,
    durationMs: timeoutMs,
    maxRequests: small + large,
    warmupRequests: 0,
    expectStatus: 201,
    request: (seq) => {
      const [namespace, index] = seq < small ? [ns.small, seq] : [ns.large, seq - small];
      return {
        method: 'POST',
        path: namespacePath(namespace),
        body: JSON.stringify(aPod(podName('pod', index))),
      };
    },
  });
}

/** The hub's own replies become the bare server's bodies, so both send the same bytes. */
async function captureFixtures(endpoint: Endpoint): Promise<{ pod: Buffer; lists: Map<string, Buffer> }> {
  const get = async (path: string, items?: number) => {
    const reply = await send(endpoint, { method: 'GET', path }, true);
    if (reply.status !== 200) throw new Error(`GET ${path}: status ${reply.status}`);
    const count =
      items === undefined
        ? undefined
        : (JSON.parse(reply.body!.toString()) as { items: unknown[] }).items.length;
    if (count !== items) throw new Error(`GET ${path}: expected ${items} items after seeding, got ${count}`);
    return reply.body!;
  };
  return {
    pod: await get(`${namespacePath(ns.small)}/${podName('pod', 0)}`),
    lists: new Map([
      [ns.small, await get(namespacePath(ns.small), settings.seed.small)],
      [ns.large, await get(namespacePath(ns.large), settings.seed.large)],
    ]),
  };
}

async function fanoutRow(endpoint: Endpoint, token: string, caPem: string): Promise<ResultRow> {
  const { watchers, events } = settings.fanout;
  // Watch streams get their own connections: a long-lived stream must not hold a pooled socket.
  const ca = endpoint.baseUrl.protocol === 'https:' ? caPem : undefined;
  const watchEndpoint = createEndpoint(endpoint.label, endpoint.baseUrl.href, {
    ca,
    token,
    maxSockets: watchers,
  });
  try {
    const result = await runFanout(endpoint, watchEndpoint, { namespace: ns.fanout, ...settings.fanout });
    const missing = result.expected - result.delivered;
    return {
      scenario: `WATCH fan-out ${watchers}`,
      server: endpoint.label,
      rps: result.eventsPerSecond,
      p50Ms: result.delivery.p50Ms,
      p95Ms: result.delivery.p95Ms,
      p99Ms: result.delivery.p99Ms,
      notes:
        `events/s; ${events} creates x ${watchers} watchers, create start -> event; create p50 ${result.write.p50Ms.toFixed(1)} ms` +
        (missing ? `; ${missing} EVENTS MISSING` : ''),
      details: { ...result },
    };
  } finally {
    closeEndpoint(watchEndpoint);
  }
}

function loadRow(scenario: string, concurrency: number, server: string, result: LoadResult): ResultRow {
  const kib = result.bytesPerResponse / 1024;
  const size = kib >= 1024 ? `${(kib / 1024).toFixed(1)} MiB` : `${kib.toFixed(1)} KiB`;
  const errors = result.errors ? `; ${result.errors} ERRORS (${result.firstError})` : '';
  return {
    scenario,
    server,
    rps: result.rps,
    p50Ms: result.latency.p50Ms,
    p95Ms: result.latency.p95Ms,
    p99Ms: result.latency.p99Ms,
    notes: `${concurrency} in flight, ${size}/reply${errors}`,
    details: { ...result },
  };
}

function seedRow(result: LoadResult): ResultRow {
  const row = loadRow('CREATE (bulk seeding)', settings.seed.concurrency, 'hub', result);
  return {
    ...row,
    notes: `${result.requests} pods in ${(result.elapsedMs / 1000).toFixed(1)} s, ${row.notes}`,
  };
}

/** Adds "x% of bare https" to each hub row: the hub's cost over the transport it runs on. */
function compareWithBare(rows: ResultRow[]): void {
  for (const row of rows) {
    if (row.server !== 'hub') continue;
    const bare = rows.find((r) => r.scenario === row.scenario && r.server === 'bare https');
    if (bare && bare.rps > 0) row.notes += `; ${((100 * row.rps) / bare.rps).toFixed(0)}% of bare https`;
  }
}

function scenarioSettings(): Record<string, unknown>[] {
  return loadScenarios.map(({ request: _request, ...rest }) => rest);
}

export const benchmark: Benchmark = {
  name: 'apiserver',
  description: 'API server requests/s and latency vs a bare node:http(s) server',
  run,
};
