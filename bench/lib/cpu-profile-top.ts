// The functions with the most self time in a V8 CPU profile (.cpuprofile, from `node
// --cpu-prof`), optionally only within a time window. V8 stamps samples with the monotonic
// clock in microseconds, the clock process.hrtime reads, so a window taken in another process on
// the same machine lines up with the samples.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  function: string;
  /** file:line, relative to the repository where possible. */
  location: string;
  selfMs: number;
  percent: number;
}

/** `window`: [from, to] in microseconds of the monotonic clock (process.hrtime.bigint() / 1000n). */
export function topSelfTime(path: string, count = 5, window?: [number, number]): SelfTime[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window[0] || at > window[1])) continue;
    const frame = byId.get(profile.samples[i]!)?.callFrame;
    if (!frame) continue;
    const name = frame.functionName || '(anonymous)';
    const file = frame.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
    const key = `${name}\t${file ? `${file}:${frame.lineNumber + 1}` : ''}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
    total += delta;
  }
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => {
      const [fn = '', location = ''] = key.split('\t');
      return { function: fn, location, selfMs: us / 1_000, percent: total > 0 ? (100 * us) / total : 0 };
    });
}
