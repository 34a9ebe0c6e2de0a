// One sync of one Deployment (kube's syncDeployment): a Deployment being deleted only reports
// status; a paused one, or one whose replica count changed, is scaled without rolling out; any
// other runs one step of its strategy. ReplicaSet writes come first, then the Deployment's
// revision annotation, and the status last.
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../../api/clock.js';
import type { Requeue } from '../../client/work-queue.js';
import { setCondition } from '../objects/conditions.js';
import {
  type Condition,
  type Deployment,
  type DeploymentStatus,
  type Pod,
  type ReplicaSet,
  specReplicas,
} from '../objects/kinds.js';
import { isRollingUpdate, maxSurge } from './deployment-rollout.js';
import { isScalingEvent, planScale } from './deployment-scale.js';
import { calculateStatus, deadlineRecheckMs, pausedConditions, rolloutStatus } from './deployment-status.js';
import { rolloutRecreate, rolloutRolling } from './deployment-strategies.js';
import type { DeploymentWrites } from './deployment-writes.js';
import { syncNewReplicaSet } from './new-replica-set.js';
import {
  replicaSetsToCleanUp,
  replicasAnnotationsNeedUpdate,
  revisionAnnotation,
} from './revision-history.js';

export class DeploymentRun {
  /** The status as amended during this sync; written last. */
  readonly draft: DeploymentStatus;
  /** The Deployment's ReplicaSets, refreshed after every write to one of them. */
  readonly rsList: ReplicaSet[];
  private revision: string | undefined;

  constructor(
    readonly d: Deployment,
    rsList: readonly ReplicaSet[],
    /** Pods of the Deployment by the uid of the ReplicaSet controlling them, terminating ones too. */
    readonly podMap: ReadonlyMap<string, readonly Pod[]>,
    readonly writes: DeploymentWrites,
    private readonly clock: Clock,
  ) {
    this.rsList = [...rsList];
    this.draft = structuredClone(d.status ?? {});
  }

  async run(): Promise<Requeue | undefined> {
    const d = this.d;
    if (d.metadata.deletionTimestamp) return this.finish(await syncNewReplicaSet(this, false), 'counts');
    const paused = pausedConditions(d, this.draft, this.now());
    if (paused) this.draft.conditions = paused;
    if (d.spec.paused) return this.sync();
    await syncNewReplicaSet(this, false);
    if (isScalingEvent(d, this.rsList)) return this.sync();
    return isRollingUpdate(d) ? rolloutRolling(this) : rolloutRecreate(this);
  }

  /** Scale without rolling out (kube's sync); a paused Deployment also trims its history. */
  async sync(): Promise<Requeue | undefined> {
    const newRS = await syncNewReplicaSet(this, false);
    for (const step of planScale(this.d, newRS, this.oldReplicaSets(newRS))) {
      await this.scale(step.rs, step.replicas, true);
    }
    if (this.d.spec.paused) await this.cleanup(newRS);
    return this.finish(newRS, 'counts');
  }

  /** Writes the revision annotation and then the status; a rollout also arms the deadline check. */
  async finish(newRS: ReplicaSet | undefined, kind: 'counts' | 'rollout'): Promise<Requeue | undefined> {
    const now = this.now();
    const current = this.current(newRS);
    const status =
      kind === 'rollout'
        ? rolloutStatus(this.d, this.draft, this.rsList, current, now)
        : calculateStatus(this.d, this.draft, this.rsList, current, now);
    if (this.revision !== undefined && this.d.metadata.annotations?.[revisionAnnotation] !== this.revision) {
      await this.writes.setDeploymentRevision(this.d, this.revision);
    }
    if (!isDeepStrictEqual(this.d.status ?? {}, status))
      await this.writes.writeDeploymentStatus(this.d, status);
    const recheck = kind === 'rollout' ? deadlineRecheckMs(this.d, status, now) : undefined;
    return recheck === undefined ? undefined : { requeueAfterMs: recheck };
  }

  /**
   * Resizes a ReplicaSet; returns whether its size changed. With `syncAnnotations` the replica
   * annotations are refreshed even when the size is already right (kube's scaleReplicaSet).
   */
  async scale(rs: ReplicaSet, replicas: number, syncAnnotations = false): Promise<boolean> {
    const desired = specReplicas(this.d);
    const max = desired + maxSurge(this.d);
    const resized = specReplicas(rs) !== replicas;
    if (!resized && !(syncAnnotations && replicasAnnotationsNeedUpdate(rs, desired, max))) return false;
    this.replace(await this.writes.scaleReplicaSet(rs, replicas, desired, max));
    return resized;
  }

  /** Deletes old ReplicaSets beyond spec.revisionHistoryLimit. */
  async cleanup(newRS: ReplicaSet | undefined): Promise<void> {
    for (const rs of replicaSetsToCleanUp(this.oldReplicaSets(newRS), this.d.spec.revisionHistoryLimit)) {
      await this.writes.deleteReplicaSet(rs);
    }
  }

  now(): Date {
    return this.clock.now();
  }

  /** Puts a written ReplicaSet in place of its older copy (or adds a new one); returns it. */
  replace(rs: ReplicaSet): ReplicaSet {
    const at = this.rsList.findIndex((r) => r.metadata.uid === rs.metadata.uid);
    if (at >= 0) this.rsList[at] = rs;
    else this.rsList.push(rs);
    return rs;
  }

  current(rs: ReplicaSet | undefined): ReplicaSet | undefined {
    return rs && this.rsList.find((r) => r.metadata.uid === rs.metadata.uid);
  }

  oldReplicaSets(newRS: ReplicaSet | undefined): ReplicaSet[] {
    return this.rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
  }

  /** The revision the Deployment's annotation should carry (that of its new ReplicaSet). */
  recordRevision(revision: string | undefined): void {
    if (revision !== undefined) this.revision = revision;
  }

  setProgressing(condition: Condition): void {
    this.draft.conditions = setCondition(this.draft.conditions, condition);
  }
}
