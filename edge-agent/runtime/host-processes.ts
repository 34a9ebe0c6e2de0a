// Finding and ending processes by their command line, for the managed containerd and its shims.
// Only processes whose arguments name one instance's own files are ever matched, so other
// containerds on the machine are never touched.
import { readdirSync, readFileSync } from 'node:fs';

export interface HostProcess {
  pid: number;
  argv: string[];
}

export function listProcesses(): HostProcess[] {
  const processes: HostProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (raw === '') continue; // kernel thread or zombie
      processes.push({ pid: Number(entry), argv: raw.replace(/\0$/, '').split('\0') });
    } catch {
      // exited while we looked
    }
  }
  return processes;
}

/** Processes whose argv holds `flag` immediately followed by `value` (e.g. -address <socket>). */
export function processesWithArg(flag: string, value: string): HostProcess[] {
  return listProcesses().filter(({ argv }) => argv.some((arg, i) => arg === flag && argv[i + 1] === value));
}

/** A zombie counts as gone: its reaper (possibly a PID 1 that never reaps) is not our business. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** SIGTERM, then SIGKILL for whatever is left after `graceMs`; resolves once all are gone. */
export async function terminate(pids: number[], graceMs: number): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  if (graceMs > 0) {
    for (const pid of pids) signal(pid, 'SIGTERM');
    pids = await waitGone(pids, graceMs);
  }
  for (const pid of pids) signal(pid, 'SIGKILL');
  await waitGone(pids, 5_000);
}
