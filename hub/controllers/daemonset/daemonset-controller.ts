// The DaemonSet controller: one pod per eligible node, pinned there by node affinity for the
// scheduler to bind; RollingUpdate or OnDelete replacement; history as ControllerRevisions.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { objectKey, splitKey } from '../../client/informer.js';
import { reconcileFailures } from '../../client/object-failures.js';
import { type Requeue, WorkQueue } from '../../client/work-queue.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { controllerKey, isControlledBy } from '../objects/controller-ref.js';
import { cleanupHistory, syncCurrentRevision } from '../objects/controller-revisions.js';
import { asNode, asPod, type Node, type PodTemplate } from '../objects/kinds.js';
import { isPodReady } from '../objects/pod-conditions.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';
import { countDaemonPods, planDaemonSet } from './daemon-plan.js';
import { newDaemonPod } from './daemon-pod.js';
import type { DaemonSetView } from './daemon-rollout.js';

const daemonSets = { group: 'apps', resource: 'daemonsets' };
const pods = { group: '', resource: 'pods' };
const nodes = { group: '', resource: 'nodes' };
const revisions = { group: 'apps', resource: 'controllerrevisions' };

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue((key) => this.reconcile(key), {
      name: 'daemonset',
      onError: reconcileFailures(ctx, 'daemonset controller', { group: 'apps', resource: 'daemonsets' }),
    });
  }

  start(): void {
    const { informers } = this.ctx;
    const enqueue = (ds: KubeObject) => this.queue.add(objectKey(ds));
    informers.for(daemonSets).addHandler({ add: enqueue, update: enqueue });
    const enqueueOwner = (pod: KubeObject) => {
      const key = controllerKey(pod, 'DaemonSet');
      if (key) this.queue.add(key);
    };
    informers.for(pods).addHandler({ add: enqueueOwner, update: enqueueOwner, delete: enqueueOwner });
    const enqueueAll = () => {
      for (const ds of informers.for(daemonSets).list()) enqueue(ds);
    };
    informers.for(nodes).addHandler({
      add: enqueueAll,
      delete: enqueueAll,
      update: (node, old) => {
        if (placementChanged(asNode(node), asNode(old))) enqueueAll();
      },
    });
  }

  stop(): void {
    this.queue.stop();
  }

  async reconcile(key: string): Promise<Requeue | undefined> {
    const { informers, registry, clock } = this.ctx;
    const ds = informers.for(daemonSets).get(key) as DaemonSetView | undefined;
    if (!ds || ds.metadata.deletionTimestamp) return undefined;
    const { namespace } = splitKey(key);
    const owned = informers
      .for(revisions)
      .list(namespace)
      .filter((r) => isControlledBy(r, ds));
    const hash = await syncCurrentRevision(registry, ds, owned, daemonSets);
    const allNodes = informers.for(nodes).list().map(asNode);
    const ownPods = () =>
      informers
        .for(pods)
        .list(namespace)
        .filter((p) => isControlledBy(p, ds))
        .map(asPod);
    const plan = planDaemonSet(ds, allNodes, ownPods(), hash, clock.now());
    const podStore = registry.for(pods);
    await Promise.all(
      plan.deletePods.map((name) => ignoreNotFound(podStore.delete(namespace, name, { dryRun: false }))),
    );
    const template = (ds.spec?.template ?? {}) as PodTemplate;
    await Promise.all(
      plan.createOn.map((node) => podStore.create(namespace, newDaemonPod(ds, template, hash, node))),
    );
    const current = ownPods();
    await cleanupHistory(registry, ds, owned, current, hash);
    await this.writeStatus(ds, allNodes, hash);
    // Ready pods become available after minReadySeconds; look again then.
    const minReady = ds.spec?.minReadySeconds ?? 0;
    return minReady > 0 && current.some(isPodReady) ? { requeueAfterMs: minReady * 1000 } : undefined;
  }

  private async writeStatus(ds: DaemonSetView, allNodes: Node[], hash: string): Promise<void> {
    const { informers, registry, clock } = this.ctx;
    const current = informers
      .for(pods)
      .list(ds.metadata.namespace)
      .filter((p) => isControlledBy(p, ds))
      .map(asPod);
    const counts = {
      ...countDaemonPods(ds, allNodes, current, hash, clock.now()),
      observedGeneration: ds.metadata.generation,
    };
    if (isDeepStrictEqual({ ...(ds.status as object | undefined), ...counts }, ds.status)) return;
    await ignoreNotFound(
      registry
        .for(daemonSets)
        .modify(
          ds.metadata.namespace,
          ds.metadata.name!,
          (latest) => ({ ...latest, status: { ...(latest.status as object | undefined), ...counts } }),
          {
            subresource: 'status',
          },
        ),
    );
  }
}

/** Only labels, taints and cordoning decide where daemons go; heartbeats do not. */
function placementChanged(node: Node, old: Node): boolean {
  return (
    !isDeepStrictEqual(node.metadata.labels, old.metadata.labels) ||
    !isDeepStrictEqual(node.spec?.taints, old.spec?.taints) ||
    node.spec?.unschedulable !== old.spec?.unschedulable
  );
}
