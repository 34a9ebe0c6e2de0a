// Scaling a Deployment in the middle of a rollout (kube's DeploymentController.scale): with one
// active ReplicaSet it simply takes the new size; otherwise a rolling Deployment spreads the
// change over its active ReplicaSets in proportion to their sizes, using the max-replicas
// annotation each carries from the last time it was sized.

import { createdAt, type Deployment, type ReplicaSet, specReplicas } from '../objects/kinds.js';
import { isRollingUpdate, maxSurge, type ScaleStep, sumReplicas } from './deployment-rollout.js';
import { desiredReplicasAnnotation, maxReplicasAnnotation, replicasAnnotation } from './revision-history.js';

/** ReplicaSets with replicas to run. */
export function activeReplicaSets(replicaSets: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return replicaSets.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

/** The new ReplicaSet runs the whole Deployment and every one of its pods is available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const replicas = specReplicas(d);
  return (
    specReplicas(rs) === replicas &&
    replicasAnnotation(rs, desiredReplicasAnnotation) === replicas &&
    (rs.status?.availableReplicas ?? 0) === replicas
  );
}

/** A Deployment's replica count changed since its active ReplicaSets were last sized. */
export function isScalingEvent(d: Deployment, all: readonly (ReplicaSet | undefined)[]): boolean {
  return activeReplicaSets(all).some((rs) => {
    const desired = replicasAnnotation(rs, desiredReplicasAnnotation);
    return desired !== undefined && desired !== specReplicas(d);
  });
}

export function planScale(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ScaleStep[] {
  const replicas = specReplicas(d);
  const newestFirst = [...oldRSs].sort((a, b) => createdAt(b) - createdAt(a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length <= 1 && (newRS || oldRSs.length > 0)) {
    const target = active[0] ?? newRS ?? newestFirst[0]!;
    return specReplicas(target) === replicas ? [] : [{ rs: target, replicas }];
  }
  if (isSaturated(d, newRS)) {
    return activeReplicaSets(oldRSs).map((rs) => ({ rs, replicas: 0 }));
  }
  if (!isRollingUpdate(d)) return [];
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - sumReplicas(active);
  if (toAdd > 0)
    active.sort((a, b) => specReplicas(b) - specReplicas(a) || createdAt(b) - createdAt(a) || byName(a, b));
  if (toAdd < 0)
    active.sort((a, b) => specReplicas(b) - specReplicas(a) || createdAt(a) - createdAt(b) || byName(a, b));
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const share = proportion(rs, d, toAdd, added);
    added += share;
    return specReplicas(rs) + share;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, sizes[0]! + toAdd - added);
  return active.map((rs, i) => ({ rs, replicas: sizes[i]! }));
}

/** How many of `toAdd` (negative when shrinking) this ReplicaSet takes (GetReplicaSetProportion). */
function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const share = fraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(share, allowed) : Math.max(share, allowed);
}

function fraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = specReplicas(d);
  if (replicas === 0) return -specReplicas(rs);
  const maxNow = replicas + maxSurge(d);
  let maxBefore = replicasAnnotation(rs, maxReplicasAnnotation) ?? 0;
  if (maxBefore === 0) maxBefore = d.status?.replicas ?? 0;
  if (maxBefore === 0) return 0;
  // Go's math.Round: halves away from zero (sizes are never negative here).
  return Math.round((specReplicas(rs) * maxNow) / maxBefore) - specReplicas(rs);
}

function byName(a: ReplicaSet, b: ReplicaSet): number {
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
