// Claiming (kube's ControllerRefManager): which objects an owner keeps, adopts and releases,
// and the writes that carry that out through the registry: adopt orphans by adding a controller
// reference, release objects by removing it. Each write re-checks the object it lands on (same
// uid, still orphaned / still ours), as kube's adoption patches do with their preconditions.
import type { LabelMatcher } from '../../../api/label-selector.js';
import { type LabelSelector, labelSelectorMatcher } from '../../../api/label-selector.js';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import type { ResourceStore } from '../../apiserver/registry/resource-store.js';
import { ignoreNotFound } from './api-writes.js';
import { controllerRefOf, withoutOwner } from './controller-ref.js';

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

/** One plan from plans made over parts of the candidates (in order). */
export function mergePlans<T extends KubeObject>(parts: readonly ClaimPlan<T>[]): ClaimPlan<T> {
  return {
    owned: parts.flatMap((p) => p.owned),
    adopt: parts.flatMap((p) => p.adopt),
    release: parts.flatMap((p) => p.release),
  };
}

export interface ClaimWrites {
  store: ResourceStore;
  ref: OwnerReference;
  /** Re-reads the owner live; adoption happens only if it still exists and is not being deleted. */
  canAdopt: () => Promise<boolean>;
}

/** Carries out the plan; returns every object the owner controls afterwards. */
export async function claimObjects<T extends KubeObject>(
  plan: ClaimPlan<T>,
  writes: ClaimWrites,
): Promise<T[]> {
  const owned = [...plan.owned];
  if (plan.adopt.length > 0 && (await writes.canAdopt())) {
    for (const candidate of plan.adopt) {
      const adopted = await ignoreNotFound(adopt(writes.store, candidate, writes.ref));
      if (adopted && controllerRefOf(adopted)?.uid === writes.ref.uid) owned.push(adopted as T);
    }
  }
  for (const candidate of plan.release) {
    await ignoreNotFound(release(writes.store, candidate, writes.ref.uid));
  }
  return owned;
}

/**
 * A `canAdopt` for `owner` (kube's RecheckDeletionTimestamp): re-reads it live and allows
 * adoption only while it still exists under the same uid and is not being deleted.
 */
export function recheckDeletionTimestamp(store: ResourceStore, owner: KubeObject): () => Promise<boolean> {
  return async () => {
    const fresh = await ignoreNotFound(store.get(owner.metadata.namespace, owner.metadata.name!));
    return (
      fresh !== undefined && fresh.metadata.uid === owner.metadata.uid && !fresh.metadata.deletionTimestamp
    );
  };
}

export function adopt(store: ResourceStore, obj: KubeObject, ref: OwnerReference): Promise<KubeObject> {
  const { namespace, name, uid } = obj.metadata;
  return store.modify(namespace, name!, (current) => {
    if (current.metadata.uid !== uid || controllerRefOf(current) || current.metadata.deletionTimestamp) {
      return current;
    }
    const others = (current.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
    current.metadata.ownerReferences = [...others, ref];
    return current;
  });
}

export function release(store: ResourceStore, obj: KubeObject, ownerUid: string): Promise<KubeObject> {
  const { namespace, name, uid } = obj.metadata;
  return store.modify(namespace, name!, (current) => {
    if (current.metadata.uid !== uid) return current;
    return withoutOwner(current, ownerUid);
  });
}
