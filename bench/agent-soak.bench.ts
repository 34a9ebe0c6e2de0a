// The agent soak: an hour (--duration) of pod churn on the agent rig (bench/lib/agent-rig.ts,
// the agent started with its systemd unit's node flags): a pod created every few seconds and the
// oldest deleted, at most `livePods` at once, each with a readiness and a liveness probe and a
// container that logs every second; logs read through the API; the MQTT link cut once, for 10 s,
// halfway. The agent's RSS is sampled every 10 s; growth = the median of the last minute against
// the median of the minute that ends the warm-up (the first fifth of the run, at least a minute).
// Budget (issue 17): growth ≤ 5%. Only run when named: `npm run bench -- agent-soak --duration 5m`.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDuration } from '../cli/duration.js';
import { podsPath } from './lib/agent-api.js';
import { agentNodeFlagsFrom, benchPod, podsIn, startAgentRig } from './lib/agent-rig.js';
import type { Benchmark, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { readRssKiB } from './lib/process-rss.js';

const livePods = 8;
const createEveryMs = 3_000;
const sampleEveryMs = 10_000;
const logsEveryMs = 15_000;
const linkDropMs = 10_000;
const growthBudget = 0.05;

const probes = {
  command: ['sh', '-c', 'while true; do echo tick; sleep 1; done'],
  readinessProbe: { exec: { command: ['true'] }, periodSeconds: 2 },
  livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
};

interface Sample {
  atMs: number;
  rssKiB: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Median RSS of the samples in (endMs - 60 s, endMs]. */
function minuteMedian(samples: Sample[], endMs: number): number {
  return median(samples.filter((s) => s.atMs > endMs - 60_000 && s.atMs <= endMs).map((s) => s.rssKiB));
}

function row(scenario: string, notes: string, details: Record<string, unknown>): ResultRow {
  return { scenario, server: 'agent', rps: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, notes, details };
}

async function runSoak(
  log: (l: string) => void,
  repoRoot: string,
  flags: Record<string, string | undefined>,
): Promise<BenchmarkReport> {
  const durationMs = parseDuration(flags.duration ?? '1h', '--duration');
  if (durationMs < 2 * 60_000)
    throw new Error('--duration must be at least 2m (a minute of warm-up, a minute measured)');
  const warmupMs = Math.max(60_000, durationMs / 5);
  const nodeFlags = agentNodeFlagsFrom(flags['agent-node-flags'], repoRoot);
  log(
    `soak of ${durationMs / 60_000} min, warm-up ${warmupMs / 60_000} min; agent node flags: ${nodeFlags.join(' ') || '(none)'}`,
  );
  const rig = await startAgentRig(log, { nodeFlags });
  const { api } = rig;
  const samples: Sample[] = [];
  const counts = { created: 0, deleted: 0, createFailures: 0, logReads: 0, logFailures: 0, linkDrops: 0 };
  const live: string[] = [];
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let nextSample = 0;
  let nextLogs = logsEveryMs;
  let dropped = false;
  try {
    for (let i = 0; elapsed() < durationMs; i++) {
      const name = `soak-${i}`;
      const reply = await api.request(
        'POST',
        podsPath,
        JSON.stringify(benchPod(name, rig.gw.busyboxImage, probes)),
      );
      if (reply.status === 201) {
        counts.created++;
        live.push(name);
      } else counts.createFailures++;
      if (live.length > livePods) {
        await api.request('DELETE', `${podsPath}/${live.shift()}`);
        counts.deleted++;
      }
      if (elapsed() >= nextLogs && live.length > 1) {
        nextLogs += logsEveryMs;
        const logs = await api.request('GET', `${podsPath}/${live[0]}/log?tailLines=5`);
        if (logs.status === 200) counts.logReads++;
        else counts.logFailures++;
      }
      if (!dropped && elapsed() >= durationMs / 2) {
        dropped = true;
        counts.linkDrops++;
        log(`cutting the MQTT link for ${linkDropMs / 1000} s`);
        rig.proxy.cut(linkDropMs);
      }
      while (elapsed() >= nextSample) {
        samples.push({ atMs: elapsed(), rssKiB: readRssKiB(rig.agent.pid) });
        nextSample += sampleEveryMs;
      }
      if (i % 20 === 0)
        log(
          `${Math.round(elapsed() / 1000)} s: ${counts.created} created, RSS ${samples.at(-1)?.rssKiB} KiB`,
        );
      await sleep(createEveryMs);
    }
    const running = (await podsIn(api, 'Running')).length;
    const warm = minuteMedian(samples, warmupMs);
    const end = minuteMedian(samples, elapsed());
    const peak = Math.max(...samples.map((s) => s.rssKiB));
    const growth = (end - warm) / warm;
    const mib = (kib: number) => (kib / 1024).toFixed(1);
    return {
      settings: { durationMs, warmupMs, livePods, createEveryMs, sampleEveryMs, linkDropMs, nodeFlags },
      rows: [
        row(
          'agent RSS growth after warm-up',
          `${(growth * 100).toFixed(1)}% (${mib(warm)} → ${mib(end)} MiB, peak ${mib(peak)}); budget ${growthBudget * 100}% ${growth <= growthBudget ? 'met' : 'missed'}`,
          { warmRssKiB: warm, endRssKiB: end, peakRssKiB: peak, growth },
        ),
        row(
          'pod churn',
          `${counts.created} created, ${counts.deleted} deleted, ${counts.createFailures} refused; ${counts.logReads} log reads (${counts.logFailures} failed); ${counts.linkDrops} link drop; ${running} Running at the end`,
          { ...counts, runningAtEnd: running },
        ),
        row('RSS samples', `${samples.length} samples every ${sampleEveryMs / 1000} s`, { samples }),
      ],
    };
  } finally {
    await rig.stop();
  }
}

export const benchmark: Benchmark = {
  name: 'agent-soak',
  description:
    'agent RSS under an hour (--duration) of pod churn, probes, logs and a link drop (real containerd, root)',
  onlyWhenNamed: true,
  run: ({ log, repoRoot, flags }) => runSoak(log, repoRoot, flags),
};
