import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { markDisruptionTarget } from '../objects/disruption-target.js';
import { nodeNameOf, podsOnNode } from '../objects/pods-on-node.js';
import { Wakeups } from '../objects/wakeups.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';

const nodes = { group: '', resource: 'nodes' };
const pods = { group: '', resource: 'pods' };

/** kube's podgc quarantineTime. */
export const orphanQuarantineMs = 40_000;

export class PodGCController extends ReconcilingController {
  private readonly wakeups: Wakeups;
  /** Node names with pods but no Node: since when (clock ms) they have been seen missing. */
  private readonly missingSince = new Map<string, number>();
  /** Nodes whose deletion this controller saw: their pods need no quarantine. */
  private readonly deleted = new Set<string>();

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'pod-gc', queue: 'pod_gc', failures: { component: 'pod gc', resource: nodes } });
    this.wakeups = new Wakeups((name) => this.queue.add(name));
  }

  protected watches(): Watch[] {
    const nodeInformer = this.ctx.informers.for(nodes);
    return [
      { resource: nodes, on: ['delete'] },
      {
        resource: pods,
        on: ['add', 'update'],
        keys: (pod) => {
          const nodeName = nodeNameOf(pod);
          return nodeName && !nodeInformer.get(nodeName) ? nodeName : undefined;
        },
      },
    ];
  }

  /** What it remembers of nodes comes and goes with them (ahead of the keys they queue). */
  override start(): void {
    this.ctx.informers.for(nodes).addHandler({
      add: (node) => {
        this.missingSince.delete(node.metadata.name!);
        this.deleted.delete(node.metadata.name!);
      },
      delete: (node) => this.deleted.add(node.metadata.name!),
    });
    super.start();
  }

  override stop(): void {
    super.stop();
    this.wakeups.stop();
  }

  async reconcile(nodeName: string): Promise<undefined> {
    const { informers, registry, clock } = this.ctx;
    const orphans = informers.for(nodes).get(nodeName) ? [] : podsOnNode(informers.for(pods), nodeName);
    if (orphans.length === 0) {
      this.missingSince.delete(nodeName);
      this.deleted.delete(nodeName);
      return undefined;
    }
    const now = clock.now().getTime();
    if (!this.deleted.has(nodeName)) {
      const since = this.missingSince.get(nodeName) ?? now;
      this.missingSince.set(nodeName, since);
      if (now < since + orphanQuarantineMs) {
        this.wakeups.after(nodeName, since + orphanQuarantineMs - now);
        return undefined;
      }
    }
    const store = registry.for(pods);
    for (const pod of orphans) {
      const { namespace, name, uid } = pod.metadata;
      await markDisruptionTarget(store, pod, {
        reason: 'DeletionByPodGC',
        message: 'PodGC: node no longer exists',
        at: kubeTime(clock.now()),
        failPhase: true,
      });
      await ignoreNotFound(
        store.delete(namespace, name!, { dryRun: false, gracePeriodSeconds: 0, preconditions: { uid } }),
      );
      this.log.warn(`deleted pod ${namespace}/${name}: node ${nodeName} does not exist`);
    }
    return undefined;
  }
}
