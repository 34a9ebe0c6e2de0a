// Every write the Deployment controller makes, through the registry so each one is defaulted,
// validated and admitted like an API request. Read-modify-writes re-check the uid so a write
// never lands on a namesake created after the object the controller was looking at.
import type { KubeObject } from '../../../api/types.js';
import type { Registry } from '../../apiserver/registry/registry.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../objects/kinds.js';
import { replicasAnnotations, revisionAnnotation } from './revision-history.js';

const rsResource = { group: 'apps', resource: 'replicasets' };
const deploymentResource = { group: 'apps', resource: 'deployments' };

/** Applies `change` to a private copy of the stored object, unless it is no longer `obj`. */
function sameUid(
  obj: KubeObject,
  change: (current: KubeObject) => void,
): (current: KubeObject) => KubeObject {
  return (current) => {
    if (current.metadata.uid === obj.metadata.uid) change(current);
    return current;
  };
}

export class DeploymentWrites {
  constructor(private readonly registry: Registry) {}

  async createReplicaSet(rs: KubeObject): Promise<ReplicaSet> {
    return (await this.registry.for(rsResource).create(rs.metadata.namespace, rs)) as ReplicaSet;
  }

  async getReplicaSet(namespace: string | undefined, name: string): Promise<ReplicaSet | undefined> {
    return (await ignoreNotFound(this.registry.for(rsResource).get(namespace, name))) as
      | ReplicaSet
      | undefined;
  }

  /** Sets spec.replicas and the replica annotations proportional scaling reads later. */
  async scaleReplicaSet(rs: ReplicaSet, replicas: number, desired: number, max: number): Promise<ReplicaSet> {
    return this.modifyReplicaSet(rs, (current) => {
      (current.spec as { replicas?: number }).replicas = replicas;
      current.metadata.annotations = {
        ...current.metadata.annotations,
        ...replicasAnnotations(desired, max),
      };
    });
  }

  async updateReplicaSet(
    rs: ReplicaSet,
    annotations: Record<string, string>,
    minReadySeconds: number,
  ): Promise<ReplicaSet> {
    return this.modifyReplicaSet(rs, (current) => {
      current.metadata.annotations = annotations;
      const spec = current.spec as { minReadySeconds?: number };
      if (minReadySeconds > 0) spec.minReadySeconds = minReadySeconds;
      else delete spec.minReadySeconds;
    });
  }

  async deleteReplicaSet(rs: ReplicaSet): Promise<void> {
    await ignoreNotFound(
      this.registry.for(rsResource).delete(rs.metadata.namespace, rs.metadata.name!, {
        dryRun: false,
        preconditions: { uid: rs.metadata.uid },
      }),
    );
  }

  /** The Deployment's revision annotation lives in metadata, so it is a main-resource write. */
  async setDeploymentRevision(d: Deployment, revision: string): Promise<void> {
    await ignoreNotFound(
      this.registry.for(deploymentResource).modify(
        d.metadata.namespace,
        d.metadata.name!,
        sameUid(d, (current) => {
          current.metadata.annotations = { ...current.metadata.annotations, [revisionAnnotation]: revision };
        }),
      ),
    );
  }

  async writeDeploymentStatus(d: Deployment, status: DeploymentStatus): Promise<void> {
    await ignoreNotFound(
      this.registry.for(deploymentResource).modify(
        d.metadata.namespace,
        d.metadata.name!,
        sameUid(d, (current) => {
          current.status = status;
        }),
        { subresource: 'status' },
      ),
    );
  }

  private async modifyReplicaSet(rs: ReplicaSet, change: (current: KubeObject) => void): Promise<ReplicaSet> {
    const store = this.registry.for(rsResource);
    return (await store.modify(rs.metadata.namespace, rs.metadata.name!, sameUid(rs, change))) as ReplicaSet;
  }
}
