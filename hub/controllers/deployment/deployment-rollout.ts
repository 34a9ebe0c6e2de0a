// The step math of a rolling update (kube's deployment/util ResolveFenceposts, NewRSNewReplicas
// and rolloutRolling's reconcileOldReplicaSets): how far the new ReplicaSet may grow and the old
// ones shrink while total pods stay within replicas + maxSurge and available pods at or above
// replicas - maxUnavailable. maxSurge percentages round up, maxUnavailable ones round down.
import { type IntOrPercent, scaledValue } from '../objects/int-or-percent.js';
import { createdAt, type Deployment, type ReplicaSet, specReplicas } from '../objects/kinds.js';

export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
}

/** Both fenceposts resolving to zero (by rounding) would stall the rollout: allow one unavailable. */
export function resolveFenceposts(
  maxSurge: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  const unavailable = scaledValue(maxUnavailable, desired, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const rolling = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge ?? '25%', rolling?.maxUnavailable ?? '25%', specReplicas(d));
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

export function sumReplicas(replicaSets: readonly ReplicaSet[]): number {
  return replicaSets.reduce((n, rs) => n + specReplicas(rs), 0);
}

/**
 * The new ReplicaSet's next size. Unlike kube, which counts spec.replicas only, an old
 * ReplicaSet still reporting more pods than its spec counts with those pods, so surge bounds the
 * pods that exist and not only the specs.
 */
export function newReplicaSetReplicas(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const desired = specReplicas(d);
  if (!isRollingUpdate(d)) return desired;
  const current = all.reduce(
    (n, rs) => n + (rs === newRS ? specReplicas(rs) : Math.max(specReplicas(rs), rs.status?.replicas ?? 0)),
    0,
  );
  const maxTotal = desired + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, desired - specReplicas(newRS));
}

/**
 * Old ReplicaSets to shrink (kube's reconcileOldReplicaSets): first their unavailable pods,
 * which cannot lower availability, then available ones down to replicas - maxUnavailable. A
 * ReplicaSet counts at most spec.replicas available pods, so a scale-down that its own
 * controller has not carried out yet is never counted twice.
 */
export function oldReplicaSetsScaleDown(
  d: Deployment,
  newRS: ReplicaSet,
  oldRSs: readonly ReplicaSet[],
): ScaleStep[] {
  const sizes = new Map(oldRSs.map((rs) => [rs, specReplicas(rs)]));
  const oldTotal = sumReplicas(oldRSs);
  if (oldTotal === 0) return [];
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = oldTotal + specReplicas(newRS) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const byAge = [...oldRSs].sort(olderFirst);
  let cleaned = 0;
  for (const rs of byAge) {
    if (cleaned >= maxScaledDown) break;
    const size = sizes.get(rs)!;
    const unhealthy = size - (rs.status?.availableReplicas ?? 0);
    if (size === 0 || unhealthy <= 0) continue;
    const cut = Math.min(maxScaledDown - cleaned, unhealthy);
    sizes.set(rs, size - cut);
    cleaned += cut;
  }
  const available = (rs: ReplicaSet, size: number) => Math.min(size, rs.status?.availableReplicas ?? 0);
  let availableNow = available(newRS, specReplicas(newRS));
  for (const rs of oldRSs) availableNow += available(rs, sizes.get(rs)!);
  let toScaleDown = availableNow - minAvailable;
  for (const rs of byAge) {
    if (toScaleDown <= 0) break;
    const size = sizes.get(rs)!;
    if (size === 0) continue;
    const cut = Math.min(size, toScaleDown);
    sizes.set(rs, size - cut);
    toScaleDown -= cut;
  }
  return oldRSs
    .filter((rs) => sizes.get(rs) !== specReplicas(rs))
    .map((rs) => ({ rs, replicas: sizes.get(rs)! }));
}

/** Oldest first, ties by name (kube's ReplicaSetsByCreationTimestamp). */
export function olderFirst(a: ReplicaSet, b: ReplicaSet): number {
  const byTime = createdAt(a) - createdAt(b);
  if (byTime !== 0) return byTime;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
