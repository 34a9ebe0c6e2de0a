// Finding or creating the ReplicaSet that runs a Deployment's current template (kube's
// getNewReplicaSet): it is named `<deployment>-<pod-template-hash>`, carries the hash in its
// labels, selector and template, takes the next revision, and copies the Deployment's
// annotations. A name taken by a ReplicaSet with another template is a hash collision: the
// Deployment's status.collisionCount goes up and the next sync hashes differently.
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../../../api/errors.js';
import { isNamespaceTerminating } from '../objects/api-writes.js';
import { findCondition, newCondition } from '../objects/conditions.js';
import { isControlledBy, newControllerRef } from '../objects/controller-ref.js';
import { type ReplicaSet, specReplicas } from '../objects/kinds.js';
import { maxSurge, newReplicaSetReplicas, olderFirst } from './deployment-rollout.js';
import { hasProgressDeadline, progressingType, reasons } from './deployment-status.js';
import type { DeploymentRun } from './deployment-sync.js';
import {
  equalIgnoringHash,
  podTemplateHash,
  selectorWithHash,
  templateWithHash,
} from './pod-template-hash.js';
import { maxRevision, newReplicaSetAnnotations, revisionAnnotation } from './revision-history.js';

/** The ReplicaSet whose template is the Deployment's, oldest first if several are. */
export function findNewReplicaSet(run: DeploymentRun): ReplicaSet | undefined {
  return [...run.rsList]
    .sort(olderFirst)
    .find((rs) => equalIgnoringHash(rs.spec.template, run.d.spec.template));
}

export async function syncNewReplicaSet(
  run: DeploymentRun,
  create: boolean,
): Promise<ReplicaSet | undefined> {
  const { d } = run;
  const existing = findNewReplicaSet(run);
  const revision = maxRevision(run.rsList.filter((rs) => rs !== existing)) + 1;
  if (existing) {
    const annotations = newReplicaSetAnnotations(
      d.metadata.annotations,
      existing.metadata.annotations,
      revision,
    );
    const minReady = d.spec.minReadySeconds ?? 0;
    const stale = !isDeepStrictEqual(annotations, existing.metadata.annotations ?? {});
    if (stale || (existing.spec.minReadySeconds ?? 0) !== minReady) {
      return run.replace(await run.writes.updateReplicaSet(existing, annotations, minReady));
    }
    run.recordRevision(existing.metadata.annotations?.[revisionAnnotation]);
    if (hasProgressDeadline(d) && !findCondition(run.draft.conditions, progressingType)) {
      const message = `Found new replica set "${existing.metadata.name}"`;
      run.setProgressing(
        newCondition(progressingType, 'True', reasons.foundNewReplicaSet, message, run.now()),
      );
    }
    return existing;
  }
  if (!create) return undefined;
  const candidate = newReplicaSetObject(run, revision);
  candidate.spec.replicas = newReplicaSetReplicas(d, [...run.rsList, candidate], candidate);
  const name = candidate.metadata.name!;
  let created: ReplicaSet;
  let alreadyExisted = false;
  try {
    created = await run.writes.createReplicaSet(candidate);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const found =
      err.reason === 'AlreadyExists' ? await run.writes.getReplicaSet(d.metadata.namespace, name) : undefined;
    if (found && isControlledBy(found, d) && equalIgnoringHash(found.spec.template, d.spec.template)) {
      created = found;
      alreadyExisted = true;
    } else if (err.reason === 'AlreadyExists') {
      run.draft.collisionCount = (run.draft.collisionCount ?? 0) + 1;
      await run.writes.writeDeploymentStatus(d, { ...d.status, collisionCount: run.draft.collisionCount });
      throw err;
    } else {
      if (hasProgressDeadline(d) && !isNamespaceTerminating(err)) {
        const message = `Failed to create new replica set "${name}": ${err.message}`;
        run.setProgressing(
          newCondition(progressingType, 'False', reasons.replicaSetCreateError, message, run.now()),
        );
        await run.writes.writeDeploymentStatus(d, { ...d.status, conditions: run.draft.conditions ?? [] });
      }
      throw err;
    }
  }
  run.recordRevision(String(revision));
  if (!alreadyExisted && hasProgressDeadline(d)) {
    const message = `Created new replica set "${created.metadata.name}"`;
    run.setProgressing(
      newCondition(progressingType, 'True', reasons.newReplicaSetCreated, message, run.now()),
    );
  }
  return run.replace(created);
}

function newReplicaSetObject(run: DeploymentRun, revision: number): ReplicaSet {
  const { d } = run;
  const hash = podTemplateHash(d.spec.template, run.draft.collisionCount);
  const template = templateWithHash(d.spec.template, hash);
  const replicas = specReplicas(d);
  const annotations = newReplicaSetAnnotations(d.metadata.annotations, undefined, revision, {
    desired: replicas,
    max: replicas + maxSurge(d),
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: template.metadata?.labels ?? {},
      annotations,
      ownerReferences: [newControllerRef(d)],
    },
    spec: {
      replicas: 0,
      ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
      selector: selectorWithHash(d.spec.selector, hash),
      template,
    },
  };
}
