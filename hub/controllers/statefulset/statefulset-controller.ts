// The StatefulSet controller: pods `<set>-<ordinal>` with stable host names and their own
// claims, created, deleted and updated in the order statefulset-plan.ts decides; history as
// ControllerRevisions (their names are the revisions pods and status name); status written last.
import type { KubeObject } from '../../../api/types.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { objectKey } from '../../client/informer.js';
import type { Requeue } from '../../client/work-queue.js';
import { ignoreNotFound, isApiError, isNamespaceTerminating } from '../objects/api-writes.js';
import { controlledBy, orphansIn } from '../objects/controlled-by.js';
import { controllerKey, isControlledBy, newControllerRef } from '../objects/controller-ref.js';
import {
  claimObjects,
  planClaims,
  recheckDeletionTimestamp,
  selectorMatcher,
} from '../objects/controller-ref-manager.js';
import { cleanupHistory, syncCurrentRevision } from '../objects/controller-revisions.js';
import type { Pod, PodTemplate } from '../objects/kinds.js';
import { isPodReady } from '../objects/pod-conditions.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import {
  claimName,
  newClaim,
  newStatefulPod,
  ordinalOf,
  plainRef,
  podName,
  type StatefulSet,
} from './stateful-pod.js';
import { planStatefulSet, type Revisions } from './statefulset-plan.js';
import { statefulSetStatus, statefulSetStatusChanged } from './statefulset-status.js';

const sets = { group: 'apps', resource: 'statefulsets' };
const pods = { group: '', resource: 'pods' };
const claims = { group: '', resource: 'persistentvolumeclaims' };
const revisions = { group: 'apps', resource: 'controllerrevisions' };

export class StatefulSetController extends ReconcilingController {
  private readonly events: EventRecorder;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'statefulset', failures: { component: 'statefulset controller', resource: sets } });
    this.events = new EventRecorder(ctx.registry, ctx.clock, ctx.log, 'statefulset-controller');
  }

  protected watches(): Watch[] {
    return [
      { resource: sets, on: ['add', 'update'] },
      {
        resource: pods,
        keys: (pod) => {
          const key = controllerKey(pod, 'StatefulSet');
          if (key) return key;
          return pod.metadata.ownerReferences?.some((r) => r.controller) ? undefined : this.adopters(pod);
        },
      },
    ];
  }

  /** An orphan named like a set's pod and matching its selector may be adopted by it. */
  private adopters(pod: KubeObject): string[] {
    return (this.ctx.informers.for(sets).list(pod.metadata.namespace) as StatefulSet[])
      .filter(
        (set) => ordinalOf(set, pod) !== undefined && selectorMatcher(set.spec.selector)(pod.metadata.labels),
      )
      .map(objectKey);
  }

  async reconcile(key: string): Promise<Requeue | undefined> {
    const { informers, registry, clock } = this.ctx;
    const set = informers.for(sets).get(key) as StatefulSet | undefined;
    // A set being deleted leaves its pods to the garbage collector.
    if (!set || set.metadata.deletionTimestamp) return undefined;
    const namespace = set.metadata.namespace;
    const owned = informers
      .for(revisions)
      .list(namespace)
      .filter((r) => isControlledBy(r, set));
    const hash = await syncCurrentRevision(registry, set, owned, sets);
    const update = `${set.metadata.name}-${hash}`;
    const known = set.status?.currentRevision;
    const current = known && owned.some((r) => r.metadata.name === known) ? known : update;
    const revs: Revisions = { current, update };
    const members = await this.claimPods(set);
    const plan = planStatefulSet(set, members, revs, clock.now());
    for (const victim of plan.remove) await this.deletePod(set, victim);
    for (const { ordinal, revision } of plan.create) {
      const name = revision === 'current' ? current : update;
      const template =
        revision === 'current' ? (templateOf(owned, current) ?? set.spec.template) : set.spec.template;
      await this.createPod(set, ordinal, template ?? {}, name);
    }
    const now = clock.now();
    const after = controlledBy(informers.for(pods), namespace, set.metadata.uid!) as Pod[];
    await cleanupHistory(registry, set, owned, after, hash, (r) => r.metadata.name);
    const status = statefulSetStatus(set, after, revs, now);
    if (statefulSetStatusChanged(set, status)) await this.writeStatus(set, status);
    // Ready pods become available after minReadySeconds; look again then.
    const minReady = set.spec.minReadySeconds ?? 0;
    return minReady > 0 && after.some(isPodReady) ? { requeueAfterMs: minReady * 1000 } : undefined;
  }

  /** Its pods, adopting orphans that are members by name and selector, releasing those that stop matching. */
  private async claimPods(set: StatefulSet): Promise<Pod[]> {
    const { namespace, uid } = set.metadata;
    const podInformer = this.ctx.informers.for(pods);
    const candidates = [
      ...controlledBy(podInformer, namespace, uid!),
      ...orphansIn(podInformer, namespace).filter((p) => ordinalOf(set, p) !== undefined),
    ] as Pod[];
    const plan = planClaims(set, selectorMatcher(set.spec.selector), candidates);
    return claimObjects(plan, {
      store: this.ctx.registry.for(pods),
      ref: newControllerRef(set),
      canAdopt: recheckDeletionTimestamp(this.ctx.registry.for(sets), set),
    });
  }

  private async createPod(set: StatefulSet, ordinal: number, template: PodTemplate, revision: string) {
    const ref = newControllerRef(set);
    const claimStore = this.ctx.registry.for(claims);
    for (const claimTemplate of set.spec.volumeClaimTemplates ?? []) {
      const name = claimName(claimTemplate, set, ordinal);
      const existing = this.ctx.informers.for(claims).get(`${set.metadata.namespace}/${name}`);
      if (existing) continue;
      const claim = await ignoreAlreadyExists(
        claimStore.create(set.metadata.namespace, newClaim(set, claimTemplate, ordinal, ref)),
      );
      if (claim) {
        const message = `create Claim ${name} Pod ${podName(set, ordinal)} in StatefulSet ${set.metadata.name} success`;
        await this.events.record(set, 'Normal', 'SuccessfulCreate', message);
      }
    }
    const pod = newStatefulPod(set, template, ordinal, revision, ref);
    const created = await ignoreAlreadyExists(
      this.ctx.registry.for(pods).create(set.metadata.namespace, pod),
    );
    if (created) {
      await this.events.record(
        set,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
      );
    }
  }

  /**
   * With whenScaled=Delete, a pod removed by scaling down first becomes the only owner of its
   * claims, so the garbage collector deletes them after it (kube's updateClaimOwnerRefForSetAndPod).
   */
  private async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    const ordinal = ordinalOf(set, pod) ?? 0;
    const start = set.spec.ordinals?.start ?? 0;
    const scaledAway = ordinal >= start + (set.spec.replicas ?? 1) || ordinal < start;
    if (scaledAway && set.spec.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete') {
      const podRef = plainRef({ ...newControllerRef(pod as KubeObject), apiVersion: 'v1', kind: 'Pod' });
      for (const claimTemplate of set.spec.volumeClaimTemplates ?? []) {
        const name = claimName(claimTemplate, set, ordinal);
        await ignoreNotFound(
          this.ctx.registry.for(claims).modify(set.metadata.namespace, name, (claim) => {
            // The pod alone owns it now: the set's reference would keep it after the pod.
            const refs = (claim.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid);
            if (!refs.some((r) => r.uid === podRef.uid)) refs.push(podRef);
            claim.metadata.ownerReferences = refs;
            return claim;
          }),
        );
      }
    }
    const deleted = await ignoreNotFound(
      this.ctx.registry.for(pods).delete(set.metadata.namespace, pod.metadata.name!, {
        dryRun: false,
        preconditions: { uid: pod.metadata.uid },
      }),
    );
    if (deleted) {
      await this.events.record(
        set,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
      );
    }
  }

  private async writeStatus(set: StatefulSet, status: ReturnType<typeof statefulSetStatus>): Promise<void> {
    await ignoreNotFound(
      this.ctx.registry
        .for(sets)
        .modify(
          set.metadata.namespace,
          set.metadata.name!,
          (latest) =>
            latest.metadata.uid === set.metadata.uid
              ? { ...latest, status: { ...(latest.status as object | undefined), ...status } }
              : latest,
          { subresource: 'status' },
        ),
    );
  }
}

/** The pod template a ControllerRevision recorded (its data replaces the whole template). */
function templateOf(owned: readonly KubeObject[], revision: string): PodTemplate | undefined {
  const found = owned.find((r) => r.metadata.name === revision);
  const data = found?.data as { spec?: { template?: PodTemplate & { $patch?: string } } } | undefined;
  if (!data?.spec?.template) return undefined;
  const { $patch: _patch, ...template } = data.spec.template;
  return template;
}

/**
 * The write's result, or undefined when there was nothing to do: the object exists already (an
 * earlier sync made it), or its namespace is being deleted (the namespace controller empties it).
 */
async function ignoreAlreadyExists<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (err) {
    if (isApiError(err, 'AlreadyExists') || isNamespaceTerminating(err)) return undefined;
    throw err;
  }
}
