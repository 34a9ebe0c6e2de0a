// Owner references between a controller and what it creates (Kubernetes API conventions,
// "controllerRef"): exactly one owner per object may be its controller
// (https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/).
import type { KubeObject, OwnerReference } from '../../../api/types.js';

export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** True when `obj`'s controller is `owner` (same uid, so a recreated owner does not inherit). */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = controllerRefOf(obj);
  return ref !== undefined && ref.uid === owner.metadata.uid;
}

/**
 * The controllerRef a controller puts on what it creates (metav1.NewControllerRef); blocks the
 * owner's foreground deletion. apiVersion and kind are the owner's own, which the registry sets
 * on every object it stores.
 */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The `namespace/name` key of the object's controller when it has the given kind. */
export function controllerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerRefOf(obj);
  if (!ref || ref.kind !== kind) return undefined;
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name;
}

/** `obj` (a private copy) without any reference to the owner with `ownerUid`. */
export function withoutOwner(obj: KubeObject, ownerUid: string): KubeObject {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  if (refs.length > 0) obj.metadata.ownerReferences = refs;
  else delete obj.metadata.ownerReferences;
  return obj;
}
