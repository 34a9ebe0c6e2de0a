// A Deployment's status from its ReplicaSets (kube's calculateStatus and syncRolloutStatus):
// counts, the Available condition, the Progressing condition with its progress deadline, and
// ReplicaFailure copied up from the ReplicaSets. `draft` is the status as this sync has amended
// it so far (conditions, collisionCount); `d.status` is what was last written, against which
// progress is measured.
import { findCondition, newCondition, removeCondition, setCondition } from '../objects/conditions.js';
import {
  type Condition,
  type Deployment,
  type DeploymentStatus,
  type ReplicaSet,
  specReplicas,
} from '../objects/kinds.js';
import { replicaFailure } from '../replicaset/replicaset-status.js';
import { maxUnavailable } from './deployment-rollout.js';

export const progressingType = 'Progressing';
export const availableType = 'Available';

export const reasons = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  replicaSetCreateError: 'ReplicaSetCreateError',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** progressDeadlineSeconds of MaxInt32 means "no deadline", as in kube. */
export function hasProgressDeadline(d: Deployment): boolean {
  const deadline = d.spec.progressDeadlineSeconds;
  return deadline !== undefined && deadline !== 2147483647;
}

const sum = (rss: readonly ReplicaSet[], count: (rs: ReplicaSet) => number) =>
  rss.reduce((n, rs) => n + count(rs), 0);

export function calculateStatus(
  d: Deployment,
  draft: DeploymentStatus,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: Date,
): DeploymentStatus {
  const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
  const total = sum(all, specReplicas);
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const availability =
    available >= minAvailable
      ? newCondition(
          availableType,
          'True',
          reasons.minimumReplicasAvailable,
          'Deployment has minimum availability.',
          now,
        )
      : newCondition(
          availableType,
          'False',
          reasons.minimumReplicasUnavailable,
          'Deployment does not have minimum availability.',
          now,
        );
  return {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    conditions: setCondition(draft.conditions, availability),
    ...(draft.collisionCount !== undefined ? { collisionCount: draft.collisionCount } : {}),
  };
}

/** Every desired replica is updated, available, and the latest spec has been observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = specReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

function madeProgress(before: DeploymentStatus, after: DeploymentStatus): boolean {
  const oldBefore = (before.replicas ?? 0) - (before.updatedReplicas ?? 0);
  const oldAfter = (after.replicas ?? 0) - (after.updatedReplicas ?? 0);
  return (
    (after.updatedReplicas ?? 0) > (before.updatedReplicas ?? 0) ||
    oldAfter < oldBefore ||
    (after.readyReplicas ?? 0) > (before.readyReplicas ?? 0) ||
    (after.availableReplicas ?? 0) > (before.availableReplicas ?? 0)
  );
}

function timedOut(d: Deployment, status: DeploymentStatus, now: Date): boolean {
  const condition = findCondition(status.conditions, progressingType);
  if (!hasProgressDeadline(d) || !condition || condition.reason === reasons.newReplicaSetAvailable)
    return false;
  if (condition.reason === reasons.progressDeadlineExceeded) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < now.getTime();
}

/** The status after a rollout step (kube's syncRolloutStatus). */
export function rolloutStatus(
  d: Deployment,
  draft: DeploymentStatus,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: Date,
): DeploymentStatus {
  const status = calculateStatus(d, draft, all, newRS, now);
  if (!hasProgressDeadline(d)) status.conditions = removeCondition(status.conditions, progressingType);
  const current = findCondition(draft.conditions, progressingType);
  const settled =
    status.replicas === status.updatedReplicas && current?.reason === reasons.newReplicaSetAvailable;
  const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
  if (hasProgressDeadline(d) && !settled) {
    if (deploymentComplete(d, status)) {
      const done = newCondition(
        progressingType,
        'True',
        reasons.newReplicaSetAvailable,
        `${subject} has successfully progressed.`,
        now,
      );
      status.conditions = setCondition(status.conditions, done);
    } else if (madeProgress(d.status ?? {}, status)) {
      let moving = newCondition(
        progressingType,
        'True',
        reasons.replicaSetUpdated,
        `${subject} is progressing.`,
        now,
      );
      // Progress refreshes lastUpdateTime even when the reason stays the same.
      if (current?.status === 'True') moving = { ...moving, lastTransitionTime: current.lastTransitionTime };
      status.conditions = [...removeCondition(status.conditions, progressingType), moving];
    } else if (timedOut(d, status, now)) {
      const stuck = newCondition(
        progressingType,
        'False',
        reasons.progressDeadlineExceeded,
        `${subject} has timed out progressing.`,
        now,
      );
      status.conditions = setCondition(status.conditions, stuck);
    }
  }
  const failure = replicaFailureOf(newRS, all);
  status.conditions = failure
    ? setCondition(status.conditions, failure)
    : removeCondition(status.conditions, replicaFailure);
  return status;
}

/** The new ReplicaSet's ReplicaFailure wins over old ones'. */
function replicaFailureOf(newRS: ReplicaSet | undefined, all: readonly ReplicaSet[]): Condition | undefined {
  const failing = [newRS, ...all]
    .map((rs) => findCondition(rs?.status?.conditions, replicaFailure))
    .find(Boolean);
  if (!failing) return undefined;
  return { ...failing, lastUpdateTime: failing.lastTransitionTime ?? '' };
}

/** The Progressing condition a pause or resume records (kube's checkPausedConditions). */
export function pausedConditions(d: Deployment, draft: DeploymentStatus, now: Date): Condition[] | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const current = findCondition(draft.conditions, progressingType);
  if (current?.reason === reasons.progressDeadlineExceeded) return undefined;
  const pausedRecorded = current?.reason === reasons.paused;
  if (d.spec.paused && !pausedRecorded) {
    return setCondition(
      draft.conditions,
      newCondition(progressingType, 'Unknown', reasons.paused, 'Deployment is paused', now),
    );
  }
  if (!d.spec.paused && pausedRecorded) {
    return setCondition(
      draft.conditions,
      newCondition(progressingType, 'Unknown', reasons.resumed, 'Deployment is resumed', now),
    );
  }
  return undefined;
}

/** When to look again for a stalled rollout's deadline (kube's requeueStuckDeployment). */
export function deadlineRecheckMs(d: Deployment, status: DeploymentStatus, now: Date): number | undefined {
  const current = findCondition(status.conditions, progressingType);
  if (!hasProgressDeadline(d) || !current || d.spec.paused) return undefined;
  if (deploymentComplete(d, status) || current.reason === reasons.progressDeadlineExceeded) return undefined;
  const deadline = Date.parse(current.lastUpdateTime ?? '') + (d.spec.progressDeadlineSeconds ?? 0) * 1000;
  return Math.max(deadline - now.getTime(), 0) + 1000;
}
