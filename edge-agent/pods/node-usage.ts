// The gateway's own CPU and memory use, for a later `kubectl top node`: cumulative busy CPU time
// from /proc/stat and the working set from /proc/meminfo (MemTotal − MemAvailable: memory the
// kernel could not hand out without reclaiming it, the figure closest to the kubelet's node
// working set on a host without a root memory cgroup to read). Pure parsers and one reader.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Clock ticks per second of /proc/stat (USER_HZ): 100 on every Linux architecture we run on. */
export const userHz = 100;

export interface NodeSample {
  /** Milliseconds since the epoch. */
  at: number;
  /** CPU time spent busy (all cores) since boot, in nanoseconds. */
  busyNanoSeconds: number;
  workingSetBytes: number;
}

/** Busy CPU time from the aggregate `cpu` line: everything but idle and iowait. */
export function parseProcStat(text: string): number {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat: no aggregate cpu line');
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user and nice)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  const busy = user + nice + system + irq + softirq + steal;
  return (busy / userHz) * 1e9;
}

export function parseMeminfo(text: string): number {
  const kib = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    if (!match) throw new Error(`/proc/meminfo: no ${key}`);
    return Number(match[1]) * 1024;
  };
  return Math.max(0, kib('MemTotal') - kib('MemAvailable'));
}

export async function readNodeSample(procDir = '/proc', now = Date.now): Promise<NodeSample> {
  const [stat, meminfo] = await Promise.all([
    readFile(join(procDir, 'stat'), 'utf8'),
    readFile(join(procDir, 'meminfo'), 'utf8'),
  ]);
  return { at: now(), busyNanoSeconds: parseProcStat(stat), workingSetBytes: parseMeminfo(meminfo) };
}

/** CPU in nanocores between two cumulative readings (never negative: counters may reset). */
export function nanoCoresBetween(
  earlier: { at: number; nanos: number },
  later: { at: number; nanos: number },
): number {
  const seconds = (later.at - earlier.at) / 1000;
  if (seconds <= 0) return 0;
  return Math.max(0, Math.round((later.nanos - earlier.nanos) / seconds));
}
