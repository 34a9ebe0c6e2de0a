// The ownership graph the garbage collector works from (kube's GraphBuilder, without virtual
// nodes): every object of every kind by uid, with its owner references, and for every owner uid
// the objects that name it, whether or not the owner itself is known. Pure bookkeeping; the
// collector feeds it from informers and decides what to do with it.
import type { ResourceInfo } from '../../../api/resources.js';
import type { KubeObject, OwnerReference } from '../../../api/types.js';

export interface GraphNode {
  uid: string;
  info: ResourceInfo;
  namespace: string | undefined;
  name: string;
  owners: readonly OwnerReference[];
  deleting: boolean;
  finalizers: readonly string[];
}

export interface GraphChange {
  node: GraphNode;
  /** Owner uids referenced before or after this change whose reference was added, removed or changed. */
  ownersTouched: string[];
  /** First sight of the object, or its owner references changed. */
  ownersChanged: boolean;
  /** The object just got its deletionTimestamp. */
  startedDeleting: boolean;
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependentsByOwner = new Map<string, Set<string>>();

  upsert(info: ResourceInfo, obj: KubeObject): GraphChange | undefined {
    const uid = obj.metadata.uid;
    if (!uid) return undefined;
    const before = this.nodes.get(uid);
    const node: GraphNode = {
      uid,
      info,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name ?? '',
      owners: obj.metadata.ownerReferences ?? [],
      deleting: obj.metadata.deletionTimestamp !== undefined,
      finalizers: obj.metadata.finalizers ?? [],
    };
    this.nodes.set(uid, node);
    const ownersTouched = touchedOwners(before?.owners ?? [], node.owners);
    for (const owner of before?.owners ?? []) this.unlink(owner.uid, uid);
    for (const owner of node.owners) this.link(owner.uid, uid);
    return {
      node,
      ownersTouched,
      ownersChanged: before === undefined || ownersTouched.length > 0,
      startedDeleting: node.deleting && !before?.deleting,
    };
  }

  /** Forgets a deleted object; its dependents stay indexed under its uid. */
  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.nodes.delete(uid);
    for (const owner of node.owners) this.unlink(owner.uid, uid);
    return node;
  }

  node(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  dependents(ownerUid: string): GraphNode[] {
    const uids = this.dependentsByOwner.get(ownerUid) ?? new Set<string>();
    return [...uids].map((uid) => this.nodes.get(uid)).filter((n): n is GraphNode => n !== undefined);
  }

  /** Dependents whose reference to the owner blocks its foreground deletion. */
  blockingDependents(ownerUid: string): GraphNode[] {
    return this.dependents(ownerUid).filter((dep) =>
      dep.owners.some((ref) => ref.uid === ownerUid && ref.blockOwnerDeletion === true),
    );
  }

  private link(ownerUid: string, uid: string): void {
    const set = this.dependentsByOwner.get(ownerUid) ?? new Set<string>();
    this.dependentsByOwner.set(ownerUid, set);
    set.add(uid);
  }

  private unlink(ownerUid: string, uid: string): void {
    const set = this.dependentsByOwner.get(ownerUid);
    set?.delete(uid);
    if (set?.size === 0) this.dependentsByOwner.delete(ownerUid);
  }
}

function touchedOwners(before: readonly OwnerReference[], after: readonly OwnerReference[]): string[] {
  const key = (r: OwnerReference) =>
    JSON.stringify([r.uid, r.blockOwnerDeletion === true, r.controller === true]);
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(after.map(key));
  const touched = new Set<string>();
  for (const r of before) if (!afterKeys.has(key(r))) touched.add(r.uid);
  for (const r of after) if (!beforeKeys.has(key(r))) touched.add(r.uid);
  return [...touched];
}
