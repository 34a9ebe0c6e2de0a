// The ReplicaSet controller: keeps spec.replicas active pods that match the selector and are
// controlled by the ReplicaSet; the same logic runs ReplicationControllers (replicated-kinds.ts).
// It adopts matching orphans, releases pods that stop matching,
// creates from the template in slow-start batches, deletes the cheapest surplus first, and
// writes status last. Expectations hold it back while its own creations and deletions are
// still on their way to the informers.

import { backgroundTurns, inTurns, longWalk } from '../../client/background-turns.js';
import { type Informer, objectKey } from '../../client/informer.js';
import { type Requeue, withQuietPeriod } from '../../client/work-queue.js';
import { ignoreNotFound, isApiError, isNamespaceTerminating } from '../objects/api-writes.js';
import { controlledBy, orphansIn } from '../objects/controlled-by.js';
import { controllerRefOf, newControllerRef } from '../objects/controller-ref.js';
import {
  claimObjects,
  mergePlans,
  planClaims,
  recheckDeletionTimestamp,
  selectorMatcher,
} from '../objects/controller-ref-manager.js';
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../objects/kinds.js';
import { isPodActive, msUntilAvailable } from '../objects/pod-conditions.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import { Expectations } from './expectations.js';
import { planReplicaSet, podFromTemplate } from './replicaset-plan.js';
import { countPods, replicaSetStatus, replicaSetStatusChanged, sumCounts } from './replicaset-status.js';
import { ReplicaSetWatch } from './replicaset-watch.js';
import { type ReplicatedKind, replicaSets as replicaSetsKind } from './replicated-kinds.js';
import { slowStartBatch } from './slow-start.js';

const podResource = { group: '', resource: 'pods' };

export class ReplicaSetController extends ReconcilingController {
  private readonly expectations: Expectations;
  private readonly replicaSets: Informer;
  private readonly pods: Informer;

  constructor(
    ctx: ControllerContext,
    private readonly kind: ReplicatedKind = replicaSetsKind,
  ) {
    super(ctx, {
      name: kind.controllerName,
      failures: { component: `${kind.controllerName} controller`, resource: kind.resource },
    });
    this.expectations = new Expectations(ctx.clock);
    this.replicaSets = ctx.informers.for(kind.resource);
    this.pods = ctx.informers.for(podResource);
  }

  /** Which sets their pods' changes queue, and how urgently, is ReplicaSetWatch's (expectations). */
  protected watches(): Watch[] {
    return [];
  }

  override start(): void {
    new ReplicaSetWatch(this.replicaSets, this.pods, this.queue, this.expectations, this.kind).start();
  }

  async reconcile(key: string): Promise<Requeue | undefined> {
    const cached = this.replicaSets.get(key);
    const rs = cached && this.kind.view(cached);
    if (!rs) {
      this.expectations.forget(key);
      return undefined;
    }
    const needsSync = this.expectations.satisfied(key);
    const active = await this.claimPods(rs);
    if (needsSync && active.length > longWalk) await backgroundTurns.yieldTurn();
    let manageError: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manage(key, rs, active);
      } catch (err) {
        manageError = err;
      }
    }
    const now = this.ctx.clock.now();
    const counts = sumCounts(await inTurns(active, (pods) => countPods(rs, pods, now)));
    const status = replicaSetStatus(rs, counts, manageError, now);
    if (replicaSetStatusChanged(rs, status)) await this.writeStatus(rs, status);
    if (manageError !== undefined) throw manageError;
    return withQuietPeriod(availabilityRecheck(rs, active, now), active.length);
  }

  private async claimPods(rs: ReplicaSet): Promise<Pod[]> {
    const { namespace, uid } = rs.metadata;
    // Its own pods and the namespace's orphans: pods of other controllers are never claimed.
    const candidates = [
      ...controlledBy(this.pods, namespace, uid!),
      ...orphansIn(this.pods, namespace),
    ] as Pod[];
    const matches = selectorMatcher(rs.spec.selector);
    const plan = mergePlans(
      await inTurns(candidates, (pods) => planClaims(rs, matches, pods.filter(isPodActive))),
    );
    return claimObjects(plan, {
      store: this.ctx.registry.for(podResource),
      ref: newControllerRef(rs),
      canAdopt: recheckDeletionTimestamp(this.ctx.registry.for(this.kind.resource), rs),
    });
  }

  private async manage(key: string, rs: ReplicaSet, active: Pod[]): Promise<void> {
    const plan = planReplicaSet(rs, active, this.relatedPods(rs), this.ctx.clock.now());
    const podStore = this.ctx.registry.for(podResource);
    const namespace = rs.metadata.namespace;
    if (plan.create > 0) {
      this.expectations.expectCreations(key, plan.create);
      const pod = podFromTemplate(rs, newControllerRef(rs));
      const result = await slowStartBatch(plan.create, 1, () => podStore.create(namespace, pod));
      const skipped = plan.create - result.succeeded;
      if (skipped > 0) this.expectations.creationObserved(key, skipped);
      if (result.error !== undefined && !isNamespaceTerminating(result.error)) throw result.error;
    }
    if (plan.remove.length > 0) {
      this.expectations.expectDeletions(key, plan.remove.map(objectKey));
      const results = await Promise.allSettled(
        plan.remove.map((pod) =>
          podStore.delete(namespace, pod.metadata.name!, {
            dryRun: false,
            preconditions: { uid: pod.metadata.uid },
          }),
        ),
      );
      let firstError: unknown;
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') return;
        this.expectations.deletionObserved(key, objectKey(plan.remove[i]!));
        if (!isApiError(result.reason, 'NotFound')) firstError ??= result.reason;
      });
      if (firstError !== undefined) throw firstError;
    }
  }

  /** Active pods of every ReplicaSet under the same controller (for the colocation rank). */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRefOf(rs)?.uid;
    const namespace = rs.metadata.namespace;
    const siblings = new Set(
      owner === undefined
        ? [rs.metadata.uid]
        : this.replicaSets
            .list(namespace)
            .filter((r) => controllerRefOf(r)?.uid === owner)
            .map((r) => r.metadata.uid),
    );
    return [...siblings].flatMap((uid) =>
      uid === undefined ? [] : (controlledBy(this.pods, namespace, uid) as Pod[]).filter(isPodActive),
    );
  }

  private async writeStatus(rs: ReplicaSet, status: ReplicaSetStatus): Promise<void> {
    await ignoreNotFound(
      this.ctx.registry
        .for(this.kind.resource)
        .modify(
          rs.metadata.namespace,
          rs.metadata.name!,
          (current) => (current.metadata.uid === rs.metadata.uid ? { ...current, status } : current),
          { subresource: 'status' },
        ),
    );
  }
}

/** Ready pods that become available after minReadySeconds need a sync at that moment. */
function availabilityRecheck(rs: ReplicaSet, active: Pod[], now: Date): Requeue | undefined {
  let soonest: number | undefined;
  for (const pod of active) {
    const ms = msUntilAvailable(pod, rs.spec.minReadySeconds ?? 0, now);
    if (ms !== undefined && (soonest === undefined || ms < soonest)) soonest = ms;
  }
  return soonest === undefined ? undefined : { requeueAfterMs: soonest };
}
