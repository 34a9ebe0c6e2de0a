// The NoExecute taint manager (kube's taint-eviction-controller): deletes the pods of a node
// whose NoExecute taints they do not tolerate, at once or when their tolerationSeconds run
// out, marking them with a DisruptionTarget condition first. Flotilla's default tolerations
// have no tolerationSeconds, so only workloads that ask for it are evicted from an offline gateway.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { markDisruptionTarget } from '../objects/disruption-target.js';
import { asNode, asPod } from '../objects/kinds.js';
import { podsOnNode } from '../objects/pods-on-node.js';
import { Wakeups } from '../objects/wakeups.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import { evictionTime } from './taint-eviction.js';

const nodes = { group: '', resource: 'nodes' };
const pods = { group: '', resource: 'pods' };

export class TaintEvictionController extends ReconcilingController {
  private readonly wakeups: Wakeups;

  constructor(ctx: ControllerContext) {
    super(ctx, {
      name: 'taint-eviction',
      queue: 'taint_eviction',
      failures: { component: 'taint eviction', resource: nodes },
    });
    this.wakeups = new Wakeups((name) => this.queue.add(name));
  }

  protected watches(): Watch[] {
    return [
      { resource: nodes, on: ['add'] },
      {
        resource: nodes,
        on: ['update'],
        // Heartbeats change nodes all the time; only their taints matter here.
        keys: (node, old) =>
          isDeepStrictEqual(asNode(node).spec?.taints, asNode(old!).spec?.taints)
            ? undefined
            : node.metadata.name!,
      },
      { resource: pods, on: ['add', 'update'], keys: (pod) => asPod(pod).spec?.nodeName || undefined },
    ];
  }

  override stop(): void {
    super.stop();
    this.wakeups.stop();
  }

  async reconcile(nodeName: string): Promise<undefined> {
    const { informers, clock } = this.ctx;
    const node = informers.for(nodes).get(nodeName);
    if (!node) return undefined;
    const taints = (asNode(node).spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return undefined;
    const nowMs = clock.now().getTime();
    let next: number | undefined;
    for (const pod of podsOnNode(informers.for(pods), nodeName).map(asPod)) {
      if (pod.metadata.deletionTimestamp) continue;
      const at = evictionTime(pod.spec?.tolerations ?? [], taints, nowMs);
      if (at === undefined) continue;
      if (at <= nowMs) await this.evict(pod);
      else next = Math.min(next ?? at, at);
    }
    if (next !== undefined) this.wakeups.after(nodeName, next - nowMs);
    return undefined;
  }

  private async evict(pod: KubeObject): Promise<void> {
    const store = this.ctx.registry.for(pods);
    const { namespace, name } = pod.metadata;
    await markDisruptionTarget(store, pod, {
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      at: kubeTime(this.ctx.clock.now()),
    });
    await ignoreNotFound(
      store.delete(namespace, name!, { dryRun: false, preconditions: { uid: pod.metadata.uid } }),
    );
    this.log.info(`deleted pod ${namespace}/${name}: NoExecute taint on ${asPod(pod).spec?.nodeName}`);
  }
}
