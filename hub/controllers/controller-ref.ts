// Controller references (metav1.OwnerReference with controller=true): the one owner that
// manages an object. Workload controllers own what they create and adopt matching orphans
// (https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/).
import type { LabelMatcher } from '../../api/label-selector.js';
import { type LabelSelector, labelSelectorMatcher } from '../../api/label-selector.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';

export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = controllerRefOf(obj);
  return ref !== undefined && ref.uid === owner.metadata.uid;
}

/** metav1.NewControllerRef: blocks the owner's foreground deletion until this object is gone. */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A selector that cannot be compiled selects nothing (validation should have refused it). */
export function selectorMatcher(selector: LabelSelector | undefined): LabelMatcher {
  try {
    return labelSelectorMatcher(selector);
  } catch {
    return () => false;
  }
}

export interface ClaimPlan<T extends KubeObject> {
  /** Already controlled by the owner and still matching. */
  owned: T[];
  /** Orphans that match: to be adopted. */
  adopt: T[];
  /** Controlled by the owner but no longer matching: to be released. */
  release: T[];
}

/**
 * Which candidates an owner keeps, adopts and releases (kube's ControllerRefManager.ClaimObject).
 * An owner being deleted neither adopts nor releases; objects being deleted are never adopted.
 */
export function planClaims<T extends KubeObject>(
  owner: KubeObject,
  matches: LabelMatcher,
  candidates: readonly T[],
): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  for (const candidate of candidates) {
    const ref = controllerRefOf(candidate);
    const matching = matches(candidate.metadata.labels);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matching) plan.owned.push(candidate);
      else if (!ownerDeleting) plan.release.push(candidate);
      continue;
    }
    if (matching && !ownerDeleting && candidate.metadata.deletionTimestamp === undefined) {
      plan.adopt.push(candidate);
    }
  }
  return plan;
}
