// The DaemonSet controller: one pod per eligible node, pinned there by node affinity for the
// scheduler to bind; RollingUpdate or OnDelete replacement; history as ControllerRevisions.
import { isDeepStrictEqual } from 'node:util';
import { objectKey, splitKey } from '../../client/informer.js';
import type { Requeue } from '../../client/work-queue.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { controllerKey, isControlledBy } from '../objects/controller-ref.js';
import { cleanupHistory, syncCurrentRevision } from '../objects/controller-revisions.js';
import { asNode, asPod, type Node, type PodTemplate } from '../objects/kinds.js';
import { isPodReady } from '../objects/pod-conditions.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import { countDaemonPods, planDaemonSet } from './daemon-plan.js';
import { newDaemonPod } from './daemon-pod.js';
import type { DaemonSetView } from './daemon-rollout.js';

const daemonSets = { group: 'apps', resource: 'daemonsets' };
const pods = { group: '', resource: 'pods' };
const nodes = { group: '', resource: 'nodes' };
const revisions = { group: 'apps', resource: 'controllerrevisions' };

export class DaemonSetController extends ReconcilingController {
  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'daemonset', failures: { component: 'daemonset controller', resource: daemonSets } });
  }

  protected watches(): Watch[] {
    const everySet = () => this.ctx.informers.for(daemonSets).list().map(objectKey);
    return [
      { resource: daemonSets, on: ['add', 'update'] },
      { resource: pods, keys: (pod) => controllerKey(pod, 'DaemonSet') },
      { resource: nodes, on: ['add', 'delete'], keys: everySet },
      {
        resource: nodes,
        on: ['update'],
        keys: (node, old) => (placementChanged(asNode(node), asNode(old!)) ? everySet() : undefined),
      },
    ];
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
