// Node IPAM (kube's range allocator): every node gets spec.podCIDR and spec.podCIDRs, one
// block of the cluster CIDR, never one another node holds. Blocks in use are restored from the
// nodes at start, before anything is handed out, and released when a node is deleted.
import type { KubeObject } from '../../../api/types.js';
import { reconcileFailures } from '../../client/object-failures.js';
import { WorkQueue } from '../../client/work-queue.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { asNode, type Node } from '../objects/kinds.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';
import { CidrSet } from './cidr-set.js';

export interface NodeIpamOptions {
  /** kube-controller-manager's --cluster-cidr; Flotilla's default is 10.42.0.0/16. */
  clusterCIDR?: string;
  /** --node-cidr-mask-size: /24 per node, 254 pod addresses. */
  nodeCIDRMaskSize?: number;
}

export const defaultClusterCIDR = '10.42.0.0/16';
const nodes = { group: '', resource: 'nodes' };

const cidrsOf = (node: Node) => [
  ...new Set([...(node.spec?.podCIDRs ?? []), ...(node.spec?.podCIDR ? [node.spec.podCIDR] : [])]),
];

export class NodeIpamController implements Controller {
  readonly name = 'node-ipam';
  private readonly queue: WorkQueue;
  readonly cidrs: CidrSet;

  constructor(
    private readonly ctx: ControllerContext,
    options: NodeIpamOptions = {},
  ) {
    this.cidrs = new CidrSet(options.clusterCIDR ?? defaultClusterCIDR, options.nodeCIDRMaskSize ?? 24);
    this.queue = new WorkQueue((name) => this.reconcile(name), {
      name: 'node_ipam',
      onError: reconcileFailures(ctx, 'node ipam', { group: '', resource: 'nodes' }),
    });
  }

  start(): void {
    const informer = this.ctx.informers.for(nodes);
    for (const node of informer.list().map(asNode)) {
      for (const cidr of cidrsOf(node)) {
        if (!this.cidrs.occupy(cidr))
          this.ctx.log(`node ipam: ${node.metadata.name}: ${cidr} is outside ${this.cidrs.clusterCIDR}`);
      }
    }
    const enqueue = (node: KubeObject) => this.queue.add(node.metadata.name!);
    informer.addHandler({
      add: enqueue,
      update: enqueue,
      delete: (node) => this.releaseUnheld(asNode(node)),
    });
  }

  stop(): void {
    this.queue.stop();
  }

  async reconcile(name: string): Promise<undefined> {
    const found = this.ctx.informers.for(nodes).get(name);
    if (!found) return undefined;
    const node = asNode(found);
    const held = cidrsOf(node);
    if (held.length > 0) {
      for (const cidr of held) this.cidrs.occupy(cidr);
      return undefined;
    }
    const cidr = this.cidrs.allocate();
    if (!cidr)
      throw new Error(`no pod CIDR left in ${this.cidrs.clusterCIDR} (blocks of /${this.cidrs.maskSize})`);
    try {
      await ignoreNotFound(
        this.ctx.registry.for(nodes).modify(undefined, name, (latest) => {
          const current = asNode(latest);
          // Assigned meanwhile (another writer, an earlier attempt): keep that one.
          if (cidrsOf(current).length > 0) return latest;
          return { ...latest, spec: { ...current.spec, podCIDR: cidr, podCIDRs: [cidr] } };
        }),
      );
    } finally {
      // Whatever happened, the block stays taken only if the node now holds it.
      const now = this.ctx.informers.for(nodes).get(name);
      if (!now || !cidrsOf(asNode(now)).includes(cidr)) this.cidrs.release(cidr);
    }
    return undefined;
  }

  /** A deleted node's blocks go back, unless another node claims the same block; waiting nodes get a go. */
  private releaseUnheld(deleted: Node): void {
    const remaining = this.ctx.informers.for(nodes).list().map(asNode);
    const stillHeld = new Set(remaining.flatMap(cidrsOf));
    for (const cidr of cidrsOf(deleted)) if (!stillHeld.has(cidr)) this.cidrs.release(cidr);
    for (const node of remaining) if (cidrsOf(node).length === 0) this.queue.add(node.metadata.name!);
  }
}
