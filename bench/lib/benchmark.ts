// The contract between bench/run.ts and each bench/*.bench.ts file.

export interface ResultRow {
  scenario: string;
  server: string;
  /** Requests per second, or events per second for fan-out rows. */
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  notes: string;
  /** Scenario-specific numbers (counts, bytes, errors) kept in the JSON, not in the table. */
  details: Record<string, unknown>;
}

export interface BenchmarkOptions {
  /** Measured seconds per scenario; warm-up comes on top. */
  seconds: number;
  repoRoot: string;
  /** When set, servers under test write V8 CPU profiles (.cpuprofile) here. */
  profileDir: string | undefined;
  log: (line: string) => void;
  /** Benchmark-specific flags from the command line (e.g. the fleet's --gateways), as given. */
  flags: Record<string, string | undefined>;
}

export interface BenchmarkReport {
  settings: Record<string, unknown>;
  rows: ResultRow[];
  /** Printed instead of the standard table when the rows' columns do not fit the benchmark. */
  table?: string;
  /** Saved as bench/results/<saveAs>.json instead of <name>.json (e.g. a before/after pair). */
  saveAs?: string;
}

export interface Benchmark {
  /** Also the results file name: bench/results/<name>.json. */
  name: string;
  description: string;
  /** Run only when named on the command line (a one-hour soak is no part of `npm run bench`). */
  onlyWhenNamed?: boolean;
  run(options: BenchmarkOptions): Promise<BenchmarkReport>;
}
