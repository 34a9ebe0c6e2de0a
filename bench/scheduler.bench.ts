// Scheduler benchmark: pods per second of the pure scheduling core (schedulePod over the
// incrementally maintained ClusterSnapshot, each decision assumed into the snapshot as the
// Scheduler does) on fleets of 100, 1,000 and 5,000 mixed arm64/armv7/amd64 gateways, for
// plain pods with requests and for app replicas with topology spread and inter-pod affinity.
// No API server or store is involved: this is the decision cost only.

import { defaultPlugins } from '../hub/scheduler/plugins/default-plugins.js';
import { podInfo } from '../hub/scheduler/pod-info.js';
import { schedulePod } from '../hub/scheduler/schedule-pod.js';
import { ClusterSnapshot } from '../hub/scheduler/snapshot.js';
import type { PodObject } from '../hub/scheduler/types.js';
import type { Benchmark, BenchmarkOptions, BenchmarkReport, ResultRow } from './lib/benchmark.js';
import { LatencyHistogram } from './lib/histogram.js';
import { fleetNode, runningPod, simplePod, spreadPod } from './lib/scheduler-fleet.js';

const settings = {
  fleets: [100, 1_000, 5_000],
  /** Pods placed on a fresh snapshot before it is rebuilt, per node (keeps fleets from filling up). */
  podsPerNodePerRound: 4,
  warmupPods: 500,
  maxPodsPerScenario: 200_000,
};

interface Scenario {
  name: string;
  pod: (seq: number) => PodObject;
}

const scenarios: Scenario[] = [
  { name: 'simple pods (requests only)', pod: simplePod },
  { name: 'spread + anti/affinity pods', pod: spreadPod },
];

/** A fleet where every node runs an agent pod and every fifth a cache (affinity targets). */
function buildSnapshot(nodes: number): ClusterSnapshot {
  const snapshot = new ClusterSnapshot();
  for (let i = 0; i < nodes; i++) {
    const node = fleetNode(i);
    snapshot.setNode(node);
    const name = node.metadata.name!;
    snapshot.upsertPod(runningPod(`agent-${i}`, name, 'agent'));
    if (i % 5 === 0) snapshot.upsertPod(runningPod(`cache-${i}`, name, 'cache'));
  }
  return snapshot;
}

interface Outcome {
  scheduled: number;
  unschedulable: number;
  evaluated: number;
  elapsedMs: number;
  latency: LatencyHistogram;
}

function measure(nodes: number, scenario: Scenario, budgetMs: number, maxPods: number): Outcome {
  const outcome: Outcome = {
    scheduled: 0,
    unschedulable: 0,
    evaluated: 0,
    elapsedMs: 0,
    latency: new LatencyHistogram(),
  };
  const perRound = nodes * settings.podsPerNodePerRound;
  let seq = 0;
  while (outcome.elapsedMs < budgetMs && seq < maxPods) {
    const snapshot = buildSnapshot(nodes); // untimed: a fresh fleet per round
    let startIndex = 0;
    const roundEnd = seq + perRound;
    const began = process.hrtime.bigint();
    for (; seq < roundEnd && seq < maxPods; seq++) {
      const pod = scenario.pod(seq);
      const t0 = process.hrtime.bigint();
      const result = schedulePod(pod, snapshot, defaultPlugins, { startIndex });
      startIndex = (startIndex + result.evaluatedNodes) % nodes;
      outcome.evaluated += result.evaluatedNodes;
      if ('nodeName' in result) {
        snapshot.assume(podInfo(pod), result.nodeName);
        outcome.scheduled++;
      } else outcome.unschedulable++;
      outcome.latency.recordSince(t0);
      if ((seq & 63) === 0 && Number(process.hrtime.bigint() - began) / 1e6 + outcome.elapsedMs > budgetMs) {
        seq++;
        break;
      }
    }
    outcome.elapsedMs += Number(process.hrtime.bigint() - began) / 1e6;
  }
  return outcome;
}

async function run(options: BenchmarkOptions): Promise<BenchmarkReport> {
  const rows: ResultRow[] = [];
  for (const scenario of scenarios) {
    for (const nodes of settings.fleets) {
      options.log(`${scenario.name}, ${nodes} nodes`);
      measure(nodes, scenario, Number.POSITIVE_INFINITY, settings.warmupPods);
      const outcome = measure(nodes, scenario, options.seconds * 1000, settings.maxPodsPerScenario);
      const decisions = outcome.scheduled + outcome.unschedulable;
      const summary = outcome.latency.summarize();
      rows.push({
        scenario: `${scenario.name}, ${nodes.toLocaleString('en-US')} nodes`,
        server: 'schedulePod',
        rps: decisions / (outcome.elapsedMs / 1000),
        p50Ms: summary.p50Ms,
        p95Ms: summary.p95Ms,
        p99Ms: summary.p99Ms,
        notes: `${decisions} pods, ${outcome.unschedulable} unschedulable, ${Math.round(outcome.evaluated / decisions)} nodes filtered/pod`,
        details: { nodes, ...outcome, latency: summary },
      });
    }
  }
  return { settings, rows };
}

export const benchmark: Benchmark = {
  name: 'scheduler',
  description: 'pods/s of the pure scheduling core with incremental accounting, 100 to 5,000 nodes',
  run,
};
