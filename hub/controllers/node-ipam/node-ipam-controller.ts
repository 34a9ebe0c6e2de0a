import { ignoreNotFound } from '../objects/api-writes.js';
import { asNode, type Node } from '../objects/kinds.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
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

export class NodeIpamController extends ReconcilingController {
  readonly cidrs: CidrSet;

  constructor(ctx: ControllerContext, options: NodeIpamOptions = {}) {
    const cidrs = new CidrSet(options.clusterCIDR ?? defaultClusterCIDR, options.nodeCIDRMaskSize ?? 24);
    super(ctx, {
      name: 'node-ipam',
      queue: 'node_ipam',
      failures: { component: 'node ipam', resource: nodes },
    });
    this.cidrs = cidrs;
  }

  protected watches(): Watch[] {
    return [{ resource: nodes, on: ['add', 'update'] }];
  }

  /** The ranges stored Nodes hold are taken first; a deleted Node's range is free again. */
  override start(): void {
    const informer = this.ctx.informers.for(nodes);
    for (const node of informer.list().map(asNode)) {
      for (const cidr of cidrsOf(node)) {
        if (!this.cidrs.occupy(cidr))
          this.log.info(`${node.metadata.name}: ${cidr} is outside ${this.cidrs.clusterCIDR}`);
      }
    }
    super.start();
    informer.addHandler({ delete: (node) => this.releaseUnheld(asNode(node)) });
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
