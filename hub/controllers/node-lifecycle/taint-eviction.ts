// When a pod must leave a node because of NoExecute taints
// (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions),
// pure. An untolerated NoExecute taint evicts at once; a toleration without tolerationSeconds
// keeps the pod forever; otherwise the pod goes tolerationSeconds after the taint's timeAdded.
// Counting from timeAdded (not from when a controller noticed) makes the deadline survive a
// hub restart.
import { toleratesTaint } from '../../scheduler/tolerations.js';
import type { Toleration } from '../../scheduler/types.js';
import type { Taint } from '../objects/kinds.js';

/** Milliseconds since the epoch when the pod is to be evicted; undefined for never. */
export function evictionTime(
  tolerations: readonly Toleration[],
  taints: readonly Taint[],
  nowMs: number,
): number | undefined {
  let earliest: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return nowMs;
    const bounded = matching.filter((t) => typeof t.tolerationSeconds === 'number');
    if (bounded.length < matching.length) continue;
    const seconds = Math.min(...bounded.map((t) => t.tolerationSeconds!));
    const added = Date.parse(taint.timeAdded ?? '');
    const start = Number.isNaN(added) ? nowMs : added;
    const at = seconds <= 0 ? nowMs : start + seconds * 1000;
    earliest = earliest === undefined ? at : Math.min(earliest, at);
  }
  return earliest;
}
