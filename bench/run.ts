// Runs every bench/*.bench.ts (or those named on the command line), prints each result table and
// saves it to bench/results/<name>.json with the machine it was measured on. Speed targets
// belong here, in benchmarks, and never in tests: a loaded CI machine must not fail a build.
//
//   npm run bench                          # build, then every benchmark
//   npx tsx bench/run.ts apiserver --seconds 2 --profile
//   npm run bench -- fleet --gateways 500,1000 --pods-per-gateway 10
//   npm run bench -- agent-soak --duration 5m
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Benchmark, ResultRow } from './lib/benchmark.js';
import { machineInfo } from './lib/machine-info.js';
import { type Column, formatTable } from './lib/table.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);

const columns: Column<ResultRow>[] = [
  { header: 'scenario', value: (r) => r.scenario },
  { header: 'server', value: (r) => r.server },
  { header: 'rps', value: (r) => r.rps },
  { header: 'p50 ms', value: (r) => r.p50Ms },
  { header: 'p95 ms', value: (r) => r.p95Ms },
  { header: 'p99 ms', value: (r) => r.p99Ms },
  { header: 'notes', value: (r) => r.notes },
];

async function loadBenchmarks(only: string[]): Promise<Benchmark[]> {
  const files = readdirSync(benchDir)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  const benchmarks: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(benchDir, file)).href)) as { benchmark?: Benchmark };
    if (!module.benchmark) throw new Error(`bench/${file} must export \`benchmark\``);
    const named = only.includes(module.benchmark.name);
    if (named || (only.length === 0 && !module.benchmark.onlyWhenNamed)) benchmarks.push(module.benchmark);
  }
  const unknown = only.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length) throw new Error(`no benchmark named ${unknown.join(', ')}`);
  return benchmarks;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      seconds: { type: 'string', default: '4' },
      profile: { type: 'boolean', default: false },
      // The fleet benchmark's (bench/fleet.bench.ts).
      gateways: { type: 'string' },
      'pods-per-gateway': { type: 'string' },
      'join-rate': { type: 'string' },
      'idle-seconds': { type: 'string' },
      timeout: { type: 'string' },
      restart: { type: 'string' },
      'save-as': { type: 'string' },
      // The agent benchmarks' (bench/agent.bench.ts, bench/agent-soak.bench.ts).
      'agent-node-flags': { type: 'string' },
      duration: { type: 'string' },
    },
  });
  const { seconds: _seconds, profile: _profile, ...flags } = values;
  const seconds = Number(values.seconds);
  if (!(seconds > 0 && seconds <= 60)) throw new Error(`--seconds must be in (0, 60], got ${values.seconds}`);
  const profileDir = values.profile ? mkdtempSync(join(tmpdir(), 'flotilla-bench-profile-')) : undefined;
  const log = (line: string) => console.error(`bench: ${line}`);
  const resultsDir = join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });

  for (const benchmark of await loadBenchmarks(positionals)) {
    log(`${benchmark.name}: ${benchmark.description}`);
    const startedAt = new Date();
    const report = await benchmark.run({ seconds, repoRoot, profileDir, log, flags });
    console.log(`\n${benchmark.name}\n${report.table ?? formatTable(columns, report.rows)}\n`);
    const saved = {
      benchmark: benchmark.name,
      description: benchmark.description,
      date: startedAt.toISOString(),
      machine: machineInfo(),
      settings: report.settings,
      rows: report.rows,
    };
    const path = join(resultsDir, `${report.saveAs ?? benchmark.name}.json`);
    writeFileSync(path, `${JSON.stringify(saved, roundFloats, 2)}\n`);
    log(`saved ${path}`);
  }
  if (profileDir) log(`CPU profiles in ${profileDir} (open in Chrome DevTools > Performance, or speedscope)`);
}

/** Milliseconds to the microsecond and rates to 0.1 keep the saved JSON readable and diffable. */
function roundFloats(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || Number.isInteger(value)) return value;
  return Math.round(value * 1000) / 1000;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
