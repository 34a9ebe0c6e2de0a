// Which ReplicaSets to sync when ReplicaSets and pods change (the event handlers of kube's
// ReplicaSetController), and the expectation bookkeeping those events settle.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import { type Informer, objectKey } from '../../client/informer.js';
import type { WorkQueue } from '../../client/work-queue.js';
import { controllerRefOf } from '../objects/controller-ref.js';
import { selectorMatcher } from '../objects/controller-ref-manager.js';
import { specOrDeletionChanged } from '../objects/spec-changed.js';
import type { Expectations } from './expectations.js';
import { type ReplicatedKind, refersTo } from './replicated-kinds.js';

export class ReplicaSetWatch {
  constructor(
    private readonly replicaSets: Informer,
    private readonly pods: Informer,
    private readonly queue: WorkQueue,
    private readonly expectations: Expectations,
    private readonly kind: ReplicatedKind,
  ) {}

  start(): void {
    this.replicaSets.addHandler({
      add: (rs) => this.queue.add(objectKey(rs), true),
      update: (rs, old) => this.queue.add(objectKey(rs), specOrDeletionChanged(rs, old)),
      delete: (rs) => this.expectations.forget(objectKey(rs)),
    });
    this.pods.addHandler({
      add: (pod) => this.podAdded(pod),
      update: (pod, old) => this.podUpdated(pod, old),
      delete: (pod) => this.podDeleted(pod),
    });
  }

  private podAdded(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp) {
      this.podDeleted(pod);
      return;
    }
    const ref = controllerRefOf(pod);
    if (ref) {
      const key = this.ownerKey(pod, ref);
      if (key === undefined) return;
      this.expectations.creationObserved(key);
      // The last creation of a batch arrived: the next batch must not wait a quiet period out.
      this.queue.add(key, this.expectations.satisfied(key));
      return;
    }
    this.enqueueMatching(pod);
  }

  private podUpdated(pod: KubeObject, old: KubeObject): void {
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) {
      // A graceful deletion has begun: for counting purposes the pod is gone already.
      this.podDeleted(pod);
      return;
    }
    const ref = controllerRefOf(pod);
    const oldRef = controllerRefOf(old);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const oldKey = this.ownerKey(old, oldRef);
      if (oldKey !== undefined) this.queue.add(oldKey);
    }
    if (ref) {
      const key = this.ownerKey(pod, ref);
      if (key !== undefined) this.queue.add(key);
      return;
    }
    const relabeled = !isDeepStrictEqual(pod.metadata.labels, old.metadata.labels);
    if (relabeled || oldRef) this.enqueueMatching(pod);
  }

  private podDeleted(pod: KubeObject): void {
    const ref = controllerRefOf(pod);
    if (!ref) return;
    const key = this.ownerKey(pod, ref);
    if (key === undefined) return;
    this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key, this.expectations.satisfied(key));
  }

  /** The key of the object of our kind a controller reference points at, if it is one we know. */
  private ownerKey(pod: KubeObject, ref: OwnerReference): string | undefined {
    if (!refersTo(this.kind, ref)) return undefined;
    const key = `${pod.metadata.namespace}/${ref.name}`;
    return this.replicaSets.get(key)?.metadata.uid === ref.uid ? key : undefined;
  }

  /** An orphan: every ReplicaSet whose selector matches may want to adopt it. */
  private enqueueMatching(pod: KubeObject): void {
    for (const rs of this.replicaSets.list(pod.metadata.namespace).map(this.kind.view)) {
      if (selectorMatcher(rs.spec.selector)(pod.metadata.labels)) this.queue.add(objectKey(rs));
    }
  }
}
