// The unschedulable message, in kube-scheduler's words (FitError.Error in
// pkg/scheduler/framework/types.go): "0/<all nodes> nodes are available: " followed by one
// "<node count> <reason>" entry per distinct reason, sorted as strings (so "10 …" sorts before
// "2 …", exactly as kube's sort.Strings does), joined with ", ", ending in ".". A reason
// reported by the preFilter stage replaces the per-node histogram.
import type { FilterVerdict } from './framework.js';

/** kube's ErrNoNodesAvailable message, for a cluster with no nodes at all. */
export const noNodesAvailable = 'no nodes available to schedule pods';

export class ReasonHistogram {
  readonly counts = new Map<string, number>();

  add(verdict: FilterVerdict, nodes = 1): void {
    if (verdict === undefined) return;
    if (typeof verdict === 'string') this.bump(verdict, nodes);
    else for (const reason of verdict) this.bump(reason, nodes);
  }

  toRecord(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  private bump(reason: string, nodes: number): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + nodes);
  }
}

export function unschedulableMessage(allNodes: number, histogram: ReasonHistogram): string {
  const entries = [...histogram.counts].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${allNodes} nodes are available: ${entries.join(', ')}.`;
}

export function preFilterMessage(allNodes: number, reason: string): string {
  return `0/${allNodes} nodes are available: ${reason}.`;
}
