// Carrying out a ClaimPlan through the registry: adopt orphans by adding a controller
// reference, release objects by removing it. Each write re-checks the object it lands on (same
// uid, still orphaned / still ours), as kube's adoption patches do with their preconditions.
import { ApiError } from '../../api/errors.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import { type ClaimPlan, controllerRefOf } from './controller-ref.js';

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

/** `obj` (a private copy) without any reference to the owner with `ownerUid`. */
export function withoutOwner(obj: KubeObject, ownerUid: string): KubeObject {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  if (refs.length > 0) obj.metadata.ownerReferences = refs;
  else delete obj.metadata.ownerReferences;
  return obj;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'NotFound';
}

export async function ignoreNotFound<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Creating into a namespace that is being deleted will never work; the namespace controller cleans up. */
export function isNamespaceTerminating(err: unknown): boolean {
  return (
    err instanceof ApiError && (err.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating')
  );
}
