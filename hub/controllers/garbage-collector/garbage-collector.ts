// The garbage collector: deletes objects whose owners are gone (background cascading), empties
// owners deleted in the foreground before letting them go, and strips owner references from the
// dependents of owners deleted with the orphan policy. The queue holds uids; each sync re-reads
// the object live and works from the ownership graph. Finalizers are removed through the
// registry, so the API server completes a deletion when its last finalizer goes.
import type { ResourceInfo } from '../../../api/resources.js';
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import type { ResourceStore } from '../../apiserver/registry/resource-store.js';
import type { Requeue } from '../../client/work-queue.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { withoutOwner } from '../objects/controller-ref.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import {
  foregroundFinalizer,
  isDeletingWith,
  orphanFinalizer,
  ownerState,
  planDependent,
} from './gc-plan.js';
import { type GraphNode, OwnerGraph } from './owner-graph.js';

/** While an owner waits for dependents, look again now and then even without events. */
const waitingRecheckMs = 1000;

export class GarbageCollector extends ReconcilingController {
  private readonly graph = new OwnerGraph();

  constructor(ctx: ControllerContext) {
    super(ctx, {
      name: 'garbage-collector',
      queue: 'garbage_collector',
      failures: { component: 'garbage collector' },
    });
  }

  /** Every kind, custom ones as they come, feeds the owner graph (start); the graph queues the uids. */
  protected watches(): Watch[] {
    return [];
  }

  override start(): void {
    const watched = new Set<string>();
    const follow = (info: ResourceInfo) => {
      // One handler per stored resource, whatever the number of versions it is served in.
      const key = `${info.group}/${info.resource}`;
      if (watched.has(key)) return;
      watched.add(key);
      this.ctx.informers.for(info).addHandler({
        add: (obj) => this.observe(info, obj),
        update: (obj) => this.observe(info, obj),
        delete: (obj) => this.forget(obj),
      });
    };
    const kinds = this.ctx.registry.kinds;
    for (const info of kinds.resources()) follow(info);
    // Custom resources can own and be owned like any object.
    this.stopFollowing = kinds.onChange((change) => {
      if (change.type === 'added') follow(change.kind.info);
    });
  }

  private stopFollowing = () => {};

  override stop(): void {
    this.stopFollowing();
    super.stop();
  }

  async reconcile(uid: string): Promise<Requeue | undefined> {
    const node = this.graph.node(uid);
    if (!node) return undefined;
    const obj = await ignoreNotFound(this.storeOf(node).get(node.namespace, node.name));
    if (obj?.metadata.uid !== uid) return undefined;
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp) {
      if (finalizers.includes(orphanFinalizer)) await this.orphanDependents(node);
      else if (finalizers.includes(foregroundFinalizer)) return this.deleteDependents(node);
      return undefined;
    }
    if ((obj.metadata.ownerReferences ?? []).length > 0) await this.collect(node, obj);
    return undefined;
  }

  private observe(info: ResourceInfo, obj: KubeObject): void {
    const change = this.graph.upsert(info, obj);
    if (!change) return;
    const { node } = change;
    if (isDeletingWith(node, orphanFinalizer) || isDeletingWith(node, foregroundFinalizer)) {
      this.queue.add(node.uid);
    } else if (change.ownersChanged && node.owners.length > 0 && !node.deleting) {
      this.queue.add(node.uid);
    }
    for (const owner of change.ownersTouched) this.wakeWaitingOwner(owner);
  }

  private forget(obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    this.graph.remove(uid);
    for (const dependent of this.graph.dependents(uid)) this.queue.add(dependent.uid);
    for (const ref of obj.metadata.ownerReferences ?? []) this.wakeWaitingOwner(ref.uid);
  }

  private wakeWaitingOwner(uid: string): void {
    const owner = this.graph.node(uid);
    if (owner && (isDeletingWith(owner, foregroundFinalizer) || isDeletingWith(owner, orphanFinalizer))) {
      this.queue.add(uid);
    }
  }

  /** An object with owners: delete it, or drop stale references, depending on its owners. */
  private async collect(node: GraphNode, obj: KubeObject): Promise<void> {
    const refs = obj.metadata.ownerReferences ?? [];
    const owners = await Promise.all(
      refs.map(async (ref) => ({ ref, state: ownerState(await this.findOwner(ref, obj), ref) })),
    );
    const dependents = this.graph.dependents(node.uid);
    const action = planDependent({
      owners,
      finalizers: obj.metadata.finalizers ?? [],
      hasDependents: dependents.length > 0,
      dependentDeletingDependents: dependents.some((d) => isDeletingWith(d, foregroundFinalizer)),
    });
    const store = this.storeOf(node);
    if (action.type === 'removeOwnerRefs') {
      await ignoreNotFound(
        store.modify(node.namespace, node.name, (current) => {
          if (current.metadata.uid !== node.uid) return current;
          for (const uid of action.uids) withoutOwner(current, uid);
          return current;
        }),
      );
    } else if (action.type === 'delete') {
      if (action.unblock.length > 0) await this.unblock(store, node, action.unblock);
      await ignoreNotFound(
        store.delete(node.namespace, node.name, {
          dryRun: false,
          propagationPolicy: action.policy,
          preconditions: { uid: node.uid },
        }),
      );
    }
  }

  /** Foreground: delete every dependent; the owner goes once no blocking dependent is left. */
  private async deleteDependents(owner: GraphNode): Promise<Requeue | undefined> {
    if (this.graph.blockingDependents(owner.uid).length === 0) {
      await this.removeFinalizer(owner, foregroundFinalizer);
      return undefined;
    }
    for (const dependent of this.graph.dependents(owner.uid)) {
      if (!dependent.deleting || isDeletingWith(dependent, foregroundFinalizer))
        this.queue.add(dependent.uid);
    }
    return { requeueAfterMs: waitingRecheckMs };
  }

  /** Orphan: every dependent loses its reference to the owner, then the owner may go. */
  private async orphanDependents(owner: GraphNode): Promise<void> {
    for (const dependent of this.graph.dependents(owner.uid)) {
      await ignoreNotFound(
        this.storeOf(dependent).modify(dependent.namespace, dependent.name, (current) =>
          current.metadata.uid === dependent.uid ? withoutOwner(current, owner.uid) : current,
        ),
      );
    }
    await this.removeFinalizer(owner, orphanFinalizer);
  }

  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    await ignoreNotFound(
      this.storeOf(node).modify(node.namespace, node.name, (current) => {
        if (current.metadata.uid !== node.uid) return current;
        current.metadata.finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        return current;
      }),
    );
  }

  private async unblock(store: ResourceStore, node: GraphNode, ownerUids: string[]): Promise<void> {
    await ignoreNotFound(
      store.modify(node.namespace, node.name, (current) => {
        if (current.metadata.uid !== node.uid) return current;
        current.metadata.ownerReferences = (current.metadata.ownerReferences ?? []).map((ref) =>
          ownerUids.includes(ref.uid) ? { ...ref, blockOwnerDeletion: false } : ref,
        );
        return current;
      }),
    );
  }

  /**
   * The object an owner reference names, looked up live. Kinds the hub does not serve are
   * never taken for absent; a namespaced owner of a cluster-scoped object cannot exist.
   */
  private async findOwner(ref: OwnerReference, dependent: KubeObject): Promise<KubeObject | undefined> {
    const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
    const info = this.ctx.registry.kinds
      .all()
      .find((k) => k.info.group === group && k.info.kind === ref.kind)?.info;
    if (!info) return { metadata: { uid: ref.uid } };
    const namespace = info.namespaced ? dependent.metadata.namespace : undefined;
    if (info.namespaced && !namespace) return undefined;
    return ignoreNotFound(this.ctx.registry.for(info).get(namespace, ref.name));
  }

  private storeOf(node: GraphNode): ResourceStore {
    return this.ctx.registry.for(node.info);
  }
}
