// Pod garbage collection for deleted nodes (kube's podgc, orphaned pods): once a node object
// is gone, no kubelet will ever confirm its pods' deletion, so they are removed at once
// (grace period 0), terminating ones included.
import type { KubeObject } from '../../../api/types.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';
import { WorkQueue } from '../runtime/work-queue.js';

const nodes = { group: '', resource: 'nodes' };
const pods = { group: '', resource: 'pods' };

export class PodGCController implements Controller {
  readonly name = 'pod-gc';
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue((nodeName) => this.reconcile(nodeName), {
      onError: (name, err) => ctx.log(`pod gc: pods of node ${name}: ${(err as Error).message}`),
    });
  }

  start(): void {
    this.ctx.informers
      .for(nodes)
      .addHandler({ delete: (node: KubeObject) => this.queue.add(node.metadata.name!) });
    this.ctx.informers.for(pods);
  }

  stop(): void {
    this.queue.stop();
  }

  async reconcile(nodeName: string): Promise<undefined> {
    const { informers, registry } = this.ctx;
    if (informers.for(nodes).get(nodeName)) return undefined;
    const orphans = informers
      .for(pods)
      .list()
      .filter((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName === nodeName);
    for (const pod of orphans) {
      await ignoreNotFound(
        registry.for(pods).delete(pod.metadata.namespace, pod.metadata.name!, {
          dryRun: false,
          gracePeriodSeconds: 0,
          preconditions: { uid: pod.metadata.uid },
        }),
      );
    }
    return undefined;
  }
}
