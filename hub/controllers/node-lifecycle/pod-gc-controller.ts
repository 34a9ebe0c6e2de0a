// Pod garbage collection of orphaned pods (kube's podgc, gcOrphaned): a pod bound to a node
// that does not exist will never be confirmed stopped by any kubelet, so it — and with it its
// namespace, when that is being deleted — would stay Terminating forever. Such pods are marked
// (DisruptionTarget DeletionByPodGC, phase Failed) and deleted with grace period 0:
// - at once when their Node object is deleted (a decommissioned gateway);
// - after a 40 s quarantine when their node name was never seen, or the node went while the
//   hub was down (kube's quarantineTime: a node being created may just not have arrived yet).
// Time comes from the controller's Clock, so tests move it by hand.
import type { KubeObject } from '../../../api/types.js';
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import { reconcileFailures } from '../../client/object-failures.js';
import { WorkQueue } from '../../client/work-queue.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { markDisruptionTarget } from '../objects/disruption-target.js';
import { nodeNameOf, podsOnNode } from '../objects/pods-on-node.js';
import { Wakeups } from '../objects/wakeups.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';

const nodes = { group: '', resource: 'nodes' };
const pods = { group: '', resource: 'pods' };

/** kube's podgc quarantineTime. */
export const orphanQuarantineMs = 40_000;

export class PodGCController implements Controller {
  readonly name = 'pod-gc';
  private readonly queue: WorkQueue;
  private readonly wakeups: Wakeups;
  /** Node names with pods but no Node: since when (clock ms) they have been seen missing. */
  private readonly missingSince = new Map<string, number>();
  /** Nodes whose deletion this controller saw: their pods need no quarantine. */
  private readonly deleted = new Set<string>();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue((nodeName) => this.reconcile(nodeName), {
      name: 'pod_gc',
      onError: reconcileFailures(ctx, 'pod gc', nodes),
    });
    this.wakeups = new Wakeups((name) => this.queue.add(name));
  }

  start(): void {
    const nodeInformer = this.ctx.informers.for(nodes);
    nodeInformer.addHandler({
      add: (node) => {
        this.missingSince.delete(node.metadata.name!);
        this.deleted.delete(node.metadata.name!);
      },
      delete: (node) => {
        this.deleted.add(node.metadata.name!);
        this.queue.add(node.metadata.name!);
      },
    });
    const check = (pod: KubeObject) => {
      const nodeName = nodeNameOf(pod);
      if (nodeName && !nodeInformer.get(nodeName)) this.queue.add(nodeName);
    };
    this.ctx.informers.for(pods).addHandler({ add: check, update: check });
  }

  stop(): void {
    this.queue.stop();
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
      this.ctx.log(`pod gc: deleted pod ${namespace}/${name}: node ${nodeName} does not exist`);
    }
    return undefined;
  }
}
