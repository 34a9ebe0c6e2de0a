// The scheduling core, pure: one pod, one snapshot, a plugin set → a node or the reasons why
// none fits. Mirrors kube-scheduler's scheduling cycle: preFilter, filter (stopping once
// enough feasible nodes are found, starting where the previous cycle stopped), preScore,
// score, normalize, weighted sum, highest total wins, ties broken at random.
import { noNodesAvailable, preFilterMessage, ReasonHistogram, unschedulableMessage } from './fit-error.js';
import type { CycleState, FilterPlugin, FilterVerdict, Plugins } from './framework.js';
import type { NodeInfo } from './node-info.js';
import { type PodInfo, podInfo } from './pod-info.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { PodObject } from './types.js';

export interface ScheduleOptions {
  /** Share of nodes to find feasible before scoring, 1..100; 0 or unset picks kube's adaptive value. */
  percentageOfNodesToScore?: number;
  /** Where in the node list to start filtering (rotate it between cycles, see nextStartIndex). */
  startIndex?: number;
  /** Tie-breaker, [0, 1); Math.random unless a test needs determinism. */
  random?: () => number;
}

export interface Scheduled {
  nodeName: string;
  /** Nodes filtered this cycle: advance the start index by this much. */
  evaluatedNodes: number;
  feasibleNodes: number;
}

export interface Unschedulable {
  unschedulable: string;
  /** Reason → number of nodes that gave it. */
  reasons: Record<string, number>;
  evaluatedNodes: number;
}

export type ScheduleResult = Scheduled | Unschedulable;

// kube's minFeasibleNodesToFind and minFeasibleNodesPercentageToFind.
const minFeasibleNodes = 100;
const minPercentage = 5;

/** kube's numFeasibleNodesToFind: all nodes below 100; else 50% - nodes/125 (at least 5%), at least 100. */
export function feasibleNodesToFind(allNodes: number, percentage = 0): number {
  if (allNodes < minFeasibleNodes) return allNodes;
  let share = percentage;
  if (share <= 0) share = Math.max(minPercentage, 50 - Math.trunc(allNodes / 125));
  if (share >= 100) return allNodes;
  return Math.max(minFeasibleNodes, Math.trunc((allNodes * share) / 100));
}

function rejected(allNodes: number, reason: string): Unschedulable {
  return {
    unschedulable: preFilterMessage(allNodes, reason),
    reasons: { [reason]: allNodes },
    evaluatedNodes: 0,
  };
}

function isPodInfo(pod: PodObject | PodInfo): pod is PodInfo {
  return 'pod' in pod && 'key' in pod && typeof pod.key === 'string';
}

function runFilters(
  filters: readonly FilterPlugin[],
  pod: PodInfo,
  node: NodeInfo,
  state: CycleState,
): FilterVerdict {
  for (const plugin of filters) {
    const verdict = plugin.filter(pod, node, state);
    if (verdict !== undefined) return verdict;
  }
  return undefined;
}

export function schedulePod(
  pod: PodObject | PodInfo,
  snapshot: ClusterSnapshot,
  plugins: Plugins,
  options: ScheduleOptions = {},
): ScheduleResult {
  const info = isPodInfo(pod) ? pod : podInfo(pod);
  const all = snapshot.nodes();
  if (all.length === 0) return { unschedulable: noNodesAvailable, reasons: {}, evaluatedNodes: 0 };
  const state: CycleState = new Map();
  const active: FilterPlugin[] = [];
  const pinnedBy: string[] = [];
  let allowed: ReadonlySet<string> | undefined;
  for (const plugin of plugins.filters) {
    const result = plugin.preFilter?.(info, snapshot, state);
    if (result?.reject) return rejected(all.length, result.reject);
    if (result?.nodeNames) {
      allowed = allowed ? new Set([...allowed].filter((n) => result.nodeNames!.has(n))) : result.nodeNames;
      pinnedBy.push(plugin.name);
      if (allowed.size === 0) {
        // kube's RunPreFilterPlugins wording when the node name sets leave nothing.
        const names = [...pinnedBy].sort();
        const single = names.length === 1;
        return rejected(
          all.length,
          single
            ? `node(s) didn't satisfy plugin ${names[0]}`
            : `node(s) didn't satisfy plugin(s) [${names.join(' ')}] simultaneously`,
        );
      }
    }
    if (!result?.skip) active.push(plugin);
  }
  const histogram = new ReasonHistogram();
  let candidates = all;
  if (allowed) {
    candidates = [...allowed].map((name) => snapshot.get(name)).filter((n) => n !== undefined);
    // kube gives every node a preFilter result left out this reason (SetAbsentNodesStatus).
    histogram.add(
      `node(s) didn't satisfy plugin(s) [${pinnedBy.sort().join(' ')}]`,
      all.length - candidates.length,
    );
  }

  const want = feasibleNodesToFind(candidates.length, options.percentageOfNodesToScore);
  const start = candidates.length ? (options.startIndex ?? 0) % candidates.length : 0;
  const feasible: NodeInfo[] = [];
  let evaluated = 0;
  for (let i = 0; i < candidates.length && feasible.length < want; i++) {
    const node = candidates[(start + i) % candidates.length]!;
    evaluated++;
    const verdict = runFilters(active, info, node, state);
    if (verdict === undefined) feasible.push(node);
    else histogram.add(verdict);
  }
  if (feasible.length === 0) {
    return {
      unschedulable: unschedulableMessage(all.length, histogram),
      reasons: histogram.toRecord(),
      evaluatedNodes: evaluated,
    };
  }
  const chosen =
    feasible.length === 1 ? feasible[0]! : pickBest(info, feasible, snapshot, plugins, state, options);
  return { nodeName: chosen.name, evaluatedNodes: evaluated, feasibleNodes: feasible.length };
}

function pickBest(
  pod: PodInfo,
  feasible: NodeInfo[],
  snapshot: ClusterSnapshot,
  plugins: Plugins,
  state: CycleState,
  options: ScheduleOptions,
): NodeInfo {
  const totals = new Float64Array(feasible.length);
  const scores = new Float64Array(feasible.length);
  for (const plugin of plugins.scores) {
    if (plugin.preScore && !plugin.preScore(pod, feasible, snapshot, state)) continue;
    for (let i = 0; i < feasible.length; i++) scores[i] = plugin.score(pod, feasible[i]!, state);
    plugin.normalize?.(scores, feasible, state);
    for (let i = 0; i < feasible.length; i++) totals[i] = totals[i]! + scores[i]! * plugin.weight;
  }
  // Reservoir sampling over the nodes sharing the top total: each equally likely.
  const random = options.random ?? Math.random;
  let best = 0;
  let ties = 0;
  for (let i = 0; i < feasible.length; i++) {
    if (totals[i]! > totals[best]!) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return feasible[best]!;
}
