// What the garbage collector does with an object that has owners (kube's attemptToDeleteItem),
// as a pure function of the state of each owner. An owner is `solid` (exists, not waiting),
// `dangling` (no object with its uid) or `waiting` (being deleted in the foreground, waiting for
// its dependents to go). See
// https://kubernetes.io/docs/concepts/architecture/garbage-collection/#cascading-deletion
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import type { PropagationPolicy } from '../../apiserver/registry/delete-options.js';

export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

export type OwnerState = 'solid' | 'dangling' | 'waiting';

export type DependentAction =
  | { type: 'keep' }
  | { type: 'removeOwnerRefs'; uids: string[] }
  /** `unblock`: owner uids whose references must stop blocking first, to break a cycle. */
  | { type: 'delete'; policy: PropagationPolicy; unblock: string[] };

export interface DependentFacts {
  owners: { ref: OwnerReference; state: OwnerState }[];
  finalizers: readonly string[];
  /** The object has dependents of its own. */
  hasDependents: boolean;
  /** One of those dependents is itself deleting its dependents in the foreground. */
  dependentDeletingDependents: boolean;
}

/** The state of the owner `ref` names, given the object found under its name (if any). */
export function ownerState(found: KubeObject | undefined, ref: OwnerReference): OwnerState {
  if (!found || found.metadata.uid !== ref.uid) return 'dangling';
  const waiting =
    found.metadata.deletionTimestamp && (found.metadata.finalizers ?? []).includes(foregroundFinalizer);
  return waiting ? 'waiting' : 'solid';
}

export function planDependent(facts: DependentFacts): DependentAction {
  if (facts.owners.length === 0) return { type: 'keep' };
  const uidsIn = (state: OwnerState) => facts.owners.filter((o) => o.state === state).map((o) => o.ref.uid);
  const dangling = uidsIn('dangling');
  const waiting = uidsIn('waiting');
  if (uidsIn('solid').length > 0) {
    // Still owned: only drop the references to owners that are gone or going.
    const stale = [...dangling, ...waiting];
    return stale.length > 0 ? { type: 'removeOwnerRefs', uids: stale } : { type: 'keep' };
  }
  if (waiting.length > 0 && facts.hasDependents) {
    // Cascade the foreground deletion down; unblock first if a dependent waits on us in turn.
    return {
      type: 'delete',
      policy: 'Foreground',
      unblock: facts.dependentDeletingDependents ? waiting : [],
    };
  }
  // No owner left that keeps the object: honour a propagation already asked for on it.
  const policy: PropagationPolicy = facts.finalizers.includes(orphanFinalizer)
    ? 'Orphan'
    : facts.finalizers.includes(foregroundFinalizer)
      ? 'Foreground'
      : 'Background';
  return { type: 'delete', policy, unblock: [] };
}

/** An object being deleted that holds `finalizer` for the collector to act on. */
export function isDeletingWith(
  obj: { deleting: boolean; finalizers: readonly string[] },
  finalizer: string,
): boolean {
  return obj.deleting && obj.finalizers.includes(finalizer);
}
