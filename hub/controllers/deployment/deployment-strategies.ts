// The two rollout strategies, one step per sync (kube's rolloutRolling and rolloutRecreate).
// RollingUpdate grows the new ReplicaSet as far as maxSurge allows, else shrinks old ones as far
// as maxUnavailable allows. Recreate scales every old ReplicaSet to zero, waits until none of
// their pods is left running, and only then creates and scales up the new one.

import type { Requeue } from '../../client/work-queue.js';
import { type ReplicaSet, specReplicas } from '../objects/kinds.js';
import { isPodTerminal } from '../objects/pod-conditions.js';
import { newReplicaSetReplicas, oldReplicaSetsScaleDown } from './deployment-rollout.js';
import { activeReplicaSets } from './deployment-scale.js';
import { deploymentComplete } from './deployment-status.js';
import type { DeploymentRun } from './deployment-sync.js';
import { syncNewReplicaSet } from './new-replica-set.js';

export async function rolloutRolling(run: DeploymentRun): Promise<Requeue | undefined> {
  const newRS = (await syncNewReplicaSet(run, true))!;
  if (await scaleUpNewReplicaSet(run, newRS)) return run.finish(newRS, 'rollout');
  const fresh = run.current(newRS)!;
  let scaledDown = false;
  for (const step of oldReplicaSetsScaleDown(run.d, fresh, activeReplicaSets(run.oldReplicaSets(fresh)))) {
    scaledDown = (await run.scale(step.rs, step.replicas)) || scaledDown;
  }
  if (scaledDown) return run.finish(newRS, 'rollout');
  if (deploymentComplete(run.d, run.d.status ?? {})) await run.cleanup(newRS);
  return run.finish(newRS, 'rollout');
}

/** kube's reconcileNewReplicaSet: never above spec.replicas, never past the surge limit. */
async function scaleUpNewReplicaSet(run: DeploymentRun, newRS: ReplicaSet): Promise<boolean> {
  const desired = specReplicas(run.d);
  const size = specReplicas(newRS);
  if (size === desired) return false;
  if (size > desired) return run.scale(newRS, desired);
  return run.scale(newRS, newReplicaSetReplicas(run.d, run.rsList, newRS));
}

export async function rolloutRecreate(run: DeploymentRun): Promise<Requeue | undefined> {
  let newRS = await syncNewReplicaSet(run, false);
  let scaledDown = false;
  for (const rs of activeReplicaSets(run.oldReplicaSets(newRS))) {
    scaledDown = (await run.scale(rs, 0)) || scaledDown;
  }
  if (scaledDown || oldPodsRunning(run, newRS)) return run.finish(newRS, 'rollout');
  newRS ??= (await syncNewReplicaSet(run, true))!;
  await run.scale(run.current(newRS)!, specReplicas(run.d));
  if (deploymentComplete(run.d, run.d.status ?? {})) await run.cleanup(newRS);
  return run.finish(newRS, 'rollout');
}

/** Any pod of an old ReplicaSet not yet finished, terminating ones included. */
function oldPodsRunning(run: DeploymentRun, newRS: ReplicaSet | undefined): boolean {
  if (run.oldReplicaSets(newRS).some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  for (const [uid, pods] of run.podMap) {
    if (uid === newRS?.metadata.uid) continue;
    if (pods.some((pod) => !isPodTerminal(pod))) return true;
  }
  return false;
}
