// The plugin contract of the scheduling core, after kube-scheduler's framework: filter plugins
// say why a node cannot run a pod, score plugins rank the nodes that can. A plugin may prepare
// per-pod data once per scheduling cycle (preFilter, preScore) in the cycle state, under its
// own name. Plugins are pure: they read the snapshot and never write anything.
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { ClusterSnapshot } from './snapshot.js';

/** Per-cycle data, keyed by plugin name; dropped when the decision is made. */
export type CycleState = Map<string, unknown>;

/** One reason (or several, like `Insufficient cpu` and `Insufficient memory`) or undefined when the node fits. */
export type FilterVerdict = string | readonly string[] | undefined;

export interface PreFilterResult {
  /** The pod fits no node, for this reason (e.g. a topology spread constraint that can never hold). */
  reject?: string;
  /** Only these nodes may pass (a pod pinned to node names). */
  nodeNames?: ReadonlySet<string>;
  /** Nothing to check for this pod: filter() is not called this cycle. */
  skip?: boolean;
}

export interface FilterPlugin {
  readonly name: string;
  preFilter?(pod: PodInfo, snapshot: ClusterSnapshot, state: CycleState): PreFilterResult | undefined;
  filter(pod: PodInfo, node: NodeInfo, state: CycleState): FilterVerdict;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** Return false when the plugin would score every node alike for this pod: score() is skipped. */
  preScore?(
    pod: PodInfo,
    feasible: readonly NodeInfo[],
    snapshot: ClusterSnapshot,
    state: CycleState,
  ): boolean;
  /** 0..100, or a raw value that normalize() then maps onto 0..100. */
  score(pod: PodInfo, node: NodeInfo, state: CycleState): number;
  /** Maps the raw scores of all feasible nodes (same order) onto 0..100, in place. */
  normalize?(scores: Float64Array, feasible: readonly NodeInfo[], state: CycleState): void;
}

export interface Plugins {
  filters: readonly FilterPlugin[];
  scores: readonly ScorePlugin[];
}

export const maxNodeScore = 100;

/** kube's DefaultNormalizeScore: scale so the best node gets 100 (or the worst, reversed). */
export function normalizeToMax(scores: Float64Array, reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) scores[i] = reverse ? maxNodeScore : 0;
    else {
      const scaled = Math.trunc((maxNodeScore * scores[i]!) / max);
      scores[i] = reverse ? maxNodeScore - scaled : scaled;
    }
  }
}

/** Scale linearly so the lowest raw score gets 0 and the highest 100 (all 0 when equal). */
export function normalizeMinMax(scores: Float64Array): void {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const spread = max - min;
  for (let i = 0; i < scores.length; i++) {
    scores[i] = spread > 0 ? Math.trunc((maxNodeScore * (scores[i]! - min)) / spread) : 0;
  }
}
