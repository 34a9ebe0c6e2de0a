// Whether an update to a controller's own object is one it must act on at once: its spec changed
// (the generation moved) or its deletion began. Everything else — above all the status the
// controller writes itself — waits out the reconcile's quiet period (work-queue.ts): a
// ReplicaSet of 100,000 pods re-synced at once after each of its own status writes kept a
// restarted hub busy with nothing but that (65% of it for 150 s, 29% of its first five minutes).
import type { KubeObject } from '../../../api/types.js';

export function specOrDeletionChanged(object: KubeObject, old: KubeObject): boolean {
  return (
    object.metadata.generation !== old.metadata.generation ||
    Boolean(object.metadata.deletionTimestamp) !== Boolean(old.metadata.deletionTimestamp)
  );
}
