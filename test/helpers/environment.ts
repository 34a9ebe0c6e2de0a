// What the machine offers real-component tests (root, containerd, network namespaces, ...), and
// an honest skip: a suite that cannot run here is skipped with its reason, the reasons are
// counted and printed at the end of the run, and under CI (CI=true) a skip fails instead —
// in CI nothing may be skipped.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const skips = new Map<string, number>();

export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Missing requirements for real-container tests, as readable reasons; empty when all present. */
export function missingForContainers(): string[] {
  const missing: string[] = [];
  if (!isRoot()) missing.push('not running as root');
  for (const cmd of ['containerd', 'runc', 'ctr', 'nsenter', 'ip'])
    if (!hasCommand(cmd)) missing.push(`${cmd} not installed`);
  if (!existsSync('/usr/lib/cni/bridge') && !existsSync('/opt/cni/bin/bridge'))
    missing.push('CNI plugins not installed');
  if (!existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox'))
    missing.push('busybox-static not installed');
  return missing;
}

/**
 * Call from a suite's `before` hook: skips the whole suite when `missing` is non-empty (or fails
 * under CI). Returns normally when the suite can run.
 */
export function skipSuiteUnless(ctx: Mocha.Context, missing: string[]): void {
  const suite = ctx.test?.parent;
  skipUnless(ctx, missing, suite ? countTests(suite) : 1);
}

/** The same for one test (call from inside it): skipped, or failed under CI, when `missing` is non-empty. */
export function skipTestUnless(ctx: Mocha.Context, missing: string[]): void {
  skipUnless(ctx, missing, 1);
}

/** Skips what `ctx` runs (`tests` of them, for the summary) when `missing` is non-empty; under CI, fails. */
function skipUnless(ctx: Mocha.Context, missing: string[], tests: number): void {
  if (missing.length === 0) return;
  const reason = missing.join(', ');
  if (process.env.CI === 'true') throw new Error(`CI must run every test, but: ${reason}`);
  skips.set(reason, (skips.get(reason) ?? 0) + tests);
  ctx.skip();
}

/** Debian's python3-kubernetes, the official Python client, as the system python3 imports it. */
export function missingPythonClient(): string[] {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import kubernetes'], { stdio: 'ignore' });
    return [];
  } catch {
    return ['python3-kubernetes not installed'];
  }
}

function countTests(suite: Mocha.Suite): number {
  return suite.tests.length + suite.suites.reduce((n, s) => n + countTests(s), 0);
}

/** Mocha root hooks (loaded through .mocharc.json "require"): print the skip summary. */
export const mochaHooks = {
  afterAll(): void {
    if (skips.size === 0) return;
    const total = [...skips.values()].reduce((a, b) => a + b, 0);
    console.log(`\n  ${total} test(s) skipped because this machine cannot run them:`);
    for (const [reason, n] of skips) console.log(`    ${n} skipped: ${reason}`);
  },
};
