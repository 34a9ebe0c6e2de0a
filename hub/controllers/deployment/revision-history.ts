// Revision bookkeeping on a Deployment's ReplicaSets: the annotations `kubectl rollout history`
// and `kubectl rollout undo` read (deployment.kubernetes.io/revision, revision-history), the
// replica annotations proportional scaling reads (desired-replicas, max-replicas), which
// Deployment annotations are copied onto the new ReplicaSet, and which old ReplicaSets
// spec.revisionHistoryLimit lets go (kube's deployment/util SetNewReplicaSetAnnotations and
// cleanupDeployment).
import { createdAt, type ReplicaSet, specReplicas } from '../objects/kinds.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const changeCauseAnnotation = 'kubernetes.io/change-cause';

/** Never copied from a Deployment to its ReplicaSets (kubectl skips the same set on undo). */
const notCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

/** kube caps revision-history at 2000 characters, dropping the oldest entries first. */
const maxHistoryChars = 2000;

/** The revision number on an object; 0 when absent or not a number. */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const raw = obj.metadata.annotations?.[revisionAnnotation];
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

export function maxRevision(replicaSets: readonly ReplicaSet[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/**
 * The annotations of the Deployment's newest ReplicaSet: copied Deployment annotations, the
 * revision raised to `revision` (recording the previous one in revision-history when an old
 * ReplicaSet becomes new again, as on undo), and, for a ReplicaSet about to be created, the
 * replica annotations.
 */
export function newReplicaSetAnnotations(
  deploymentAnnotations: Readonly<Record<string, string>> | undefined,
  current: Readonly<Record<string, string>> | undefined,
  revision: number,
  replicas?: { desired: number; max: number },
): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(deploymentAnnotations ?? {})) {
    if (!notCopied.has(key)) next[key] = value;
  }
  const oldText = current?.[revisionAnnotation];
  const old = oldText === undefined ? 0 : Number(oldText);
  if (Number.isInteger(old) && old < revision) {
    next[revisionAnnotation] = String(revision);
    if (oldText !== undefined)
      next[revisionHistoryAnnotation] = appendHistory(current?.[revisionHistoryAnnotation], oldText);
  }
  if (replicas) Object.assign(next, replicasAnnotations(replicas.desired, replicas.max));
  return next;
}

function appendHistory(history: string | undefined, revision: string): string {
  const entries = history ? history.split(',') : [];
  entries.push(revision);
  while (entries.join(',').length > maxHistoryChars && entries.length > 1) entries.shift();
  return entries.join(',');
}

export function replicasAnnotations(desired: number, max: number): Record<string, string> {
  return { [desiredReplicasAnnotation]: String(desired), [maxReplicasAnnotation]: String(max) };
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return (
    annotations[desiredReplicasAnnotation] !== String(desired) ||
    annotations[maxReplicasAnnotation] !== String(max)
  );
}

/** An annotation holding a replica count, if present and a number. */
export function replicasAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const raw = rs.metadata.annotations?.[key];
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * Old ReplicaSets beyond spec.revisionHistoryLimit, oldest revision first, that may be deleted:
 * scaled to zero, with no pods, their latest spec observed and not already being deleted.
 */
export function replicaSetsToCleanUp(
  oldReplicaSets: readonly ReplicaSet[],
  limit: number | undefined,
): ReplicaSet[] {
  if (limit === undefined) return [];
  const alive = oldReplicaSets.filter((rs) => !rs.metadata.deletionTimestamp);
  const excess = alive.length - limit;
  if (excess <= 0) return [];
  return [...alive]
    .sort((a, b) => revisionOf(a) - revisionOf(b) || createdAt(a) - createdAt(b))
    .slice(0, excess)
    .filter(
      (rs) =>
        (rs.status?.replicas ?? 0) === 0 &&
        specReplicas(rs) === 0 &&
        (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0),
    );
}
