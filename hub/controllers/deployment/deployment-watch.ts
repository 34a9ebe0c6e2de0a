// Which Deployments to sync when Deployments, ReplicaSets and pods change (the event handlers
// of kube's DeploymentController). A pod deletion wakes the Deployment above its ReplicaSet, so
// a Recreate rollout notices the moment the last old pod is gone.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import { type Informer, objectKey } from '../../client/informer.js';
import type { WorkQueue } from '../../client/work-queue.js';
import { controllerRefOf } from '../objects/controller-ref.js';
import { selectorMatcher } from '../objects/controller-ref-manager.js';
import type { Deployment } from '../objects/kinds.js';
import { specOrDeletionChanged } from '../objects/spec-changed.js';

export class DeploymentWatch {
  constructor(
    private readonly deployments: Informer,
    private readonly replicaSets: Informer,
    private readonly pods: Informer,
    private readonly queue: WorkQueue,
  ) {}

  start(): void {
    this.deployments.addHandler({
      add: (d) => this.queue.add(objectKey(d), true),
      update: (d, old) => this.queue.add(objectKey(d), specOrDeletionChanged(d, old)),
    });
    this.replicaSets.addHandler({
      add: (rs) => this.replicaSetChanged(rs),
      update: (rs, old) => this.replicaSetChanged(rs, old),
      delete: (rs) => this.enqueueOwner(rs),
    });
    this.pods.addHandler({ delete: (pod) => this.podDeleted(pod) });
  }

  private replicaSetChanged(rs: KubeObject, old?: KubeObject): void {
    const ref = controllerRefOf(rs);
    const oldRef = old && controllerRefOf(old);
    if (old && oldRef && oldRef.uid !== ref?.uid) this.enqueueOwner(old);
    if (ref) {
      this.enqueueOwner(rs);
      return;
    }
    const relabeled = !old || !isDeepStrictEqual(rs.metadata.labels, old.metadata.labels);
    if (relabeled || oldRef) this.enqueueMatching(rs);
  }

  private podDeleted(pod: KubeObject): void {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    if (rs?.metadata.uid === ref.uid) this.enqueueOwner(rs);
  }

  private enqueueOwner(rs: KubeObject): void {
    const ref = controllerRefOf(rs);
    const key = ref && this.deploymentKey(rs, ref);
    if (key) this.queue.add(key);
  }

  private deploymentKey(obj: KubeObject, ref: OwnerReference): string | undefined {
    if (ref.kind !== 'Deployment' || ref.apiVersion.split('/')[0] !== 'apps') return undefined;
    const key = `${obj.metadata.namespace}/${ref.name}`;
    return this.deployments.get(key)?.metadata.uid === ref.uid ? key : undefined;
  }

  /** An orphaned ReplicaSet: every Deployment whose selector matches may adopt it. */
  private enqueueMatching(rs: KubeObject): void {
    for (const d of this.deployments.list(rs.metadata.namespace) as Deployment[]) {
      if (selectorMatcher(d.spec.selector)(rs.metadata.labels)) this.queue.add(objectKey(d));
    }
  }
}
