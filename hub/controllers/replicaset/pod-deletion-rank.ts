// Which pods a ReplicaSet removes first when it has too many (kube's ActivePodsWithRanks with
// LogarithmicScaleDown): the ones whose loss hurts least. In order, a pod goes first when it is
// 1. not yet scheduled, 2. pending rather than unknown rather than running, 3. not ready,
// 4. cheaper by the controller.kubernetes.io/pod-deletion-cost annotation, 5. doubled up on a
// node with more pods of the same workload, 6. ready for a shorter time, 7. restarted more,
// 8. younger. Times 6 and 8 compare on a log2 scale, so pods of similar age tie and the tie is
// broken by uid, which spreads scale-down over pods instead of always hitting the newest.

import type { Pod } from '../objects/kinds.js';
import { isPodActive, isPodReady, podReadySince } from '../objects/pod-conditions.js';

export const deletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrder: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

interface Ranked {
  pod: Pod;
  /** Active pods of the same workload on this pod's node. */
  colocated: number;
}

/**
 * The `count` pods to delete from `pods`. `related` are the active pods of the same workload
 * (this ReplicaSet and its siblings under one Deployment), used for the colocation rank.
 */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], count: number, now: Date): Pod[] {
  if (count >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const pod of related) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  return pods
    .map((pod) => ({ pod, colocated: perNode.get(pod.spec?.nodeName ?? '') ?? 0 }))
    .sort((a, b) => compareForDeletion(a, b, now))
    .slice(0, count)
    .map((r) => r.pod);
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: Ranked, b: Ranked, now: Date): number {
  const nodeA = a.pod.spec?.nodeName ?? '';
  const nodeB = b.pod.spec?.nodeName ?? '';
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  const phase = phaseRank(a.pod) - phaseRank(b.pod);
  if (phase !== 0) return phase;
  const readyA = isPodReady(a.pod);
  const readyB = isPodReady(b.pod);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const cost = deletionCost(a.pod) - deletionCost(b.pod);
  if (cost !== 0) return cost;
  if (a.colocated !== b.colocated) return b.colocated - a.colocated;
  if (readyA && readyB) {
    const byReady = newerFirst(podReadySince(a.pod), podReadySince(b.pod), a.pod, b.pod, now);
    if (byReady !== 0) return byReady;
  }
  const restarts = maxRestarts(b.pod) - maxRestarts(a.pod);
  if (restarts !== 0) return restarts;
  return newerFirst(stamp(a.pod), stamp(b.pod), a.pod, b.pod, now);
}

function phaseRank(pod: Pod): number {
  return phaseOrder[pod.status?.phase ?? ''] ?? 0;
}

function deletionCost(pod: Pod): number {
  const raw = pod.metadata.annotations?.[deletionCostAnnotation];
  const cost = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(cost) ? cost : 0;
}

function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
}

function stamp(pod: Pod): number | undefined {
  const created = pod.metadata.creationTimestamp;
  return created ? Date.parse(created) : undefined;
}

/** Unknown times go first; otherwise the more recent time goes first, on a log2 scale of age. */
function newerFirst(ta: number | undefined, tb: number | undefined, a: Pod, b: Pod, now: Date): number {
  if (ta === tb) return 0;
  if (ta === undefined) return -1;
  if (tb === undefined) return 1;
  const bucket = (t: number) => {
    const ageNs = (now.getTime() - t) * 1e6;
    return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
  };
  const diff = bucket(ta) - bucket(tb);
  if (diff !== 0) return diff;
  const uidA = a.metadata.uid ?? '';
  const uidB = b.metadata.uid ?? '';
  return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
}
