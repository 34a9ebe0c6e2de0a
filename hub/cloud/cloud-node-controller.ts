// The cloud node controller (k8s.io/cloud-provider's node and node-lifecycle controllers in one):
// for every Node, ask the provider whether its machine still exists, is shut down, and what it is;
// delete the Node of a machine that is gone (its pods follow: pod-gc removes them at once), set
// providerID, topology and instance-type labels, keep the shutdown taint exactly while the machine
// is off, and lift the uninitialized taint as soon as the provider has answered, whatever it said.
// A Node is deleted only when the provider says its machine is gone (a decommissioned gateway),
// never for being unreachable: an unreachable gateway still in the inventory keeps its Node.
// Nodes are reconciled again whenever a Site changes.
import type { KubeObject } from '../../api/types.js';
import { EventRecorder } from '../client/event-recorder.js';
import { ignoreNotFound } from '../controllers/objects/api-writes.js';
import type { ControllerContext } from '../controllers/runtime/controller.js';
import { ReconcilingController, type Watch } from '../controllers/runtime/reconciling-controller.js';
import type { Instances } from './cloud-provider.js';
import { initializedNode } from './node-metadata.js';
import { type SiteProvider, siteResource } from './site-provider.js';

const nodes = { group: '', resource: 'nodes' };

export class CloudNodeController extends ReconcilingController {
  private readonly events: EventRecorder;
  /** Conflicts already reported, so an unchanged one is not re-announced on every pass. */
  private readonly reported = new Map<string, string>();

  constructor(
    ctx: ControllerContext,
    private readonly provider: SiteProvider,
  ) {
    super(ctx, { name: 'cloud-node', failures: { component: 'cloud node', resource: nodes } });
    this.events = new EventRecorder(ctx.registry, ctx.clock, ctx.log, 'cloud-node-controller');
  }

  protected watches(): Watch[] {
    const everyNode = () =>
      this.ctx.informers
        .for(nodes)
        .list()
        .map((node) => node.metadata.name!);
    return [
      { resource: nodes, on: ['add', 'update'] },
      { resource: siteResource, keys: everyNode },
    ];
  }

  async reconcile(name: string): Promise<undefined> {
    const node = this.ctx.informers.for(nodes).get(name);
    if (!node || node.metadata.deletionTimestamp) return undefined;
    const instances: Instances = this.provider.instances();
    if (!(await instances.instanceExists(node))) {
      await this.events.record(
        node,
        'Normal',
        'DeletingNode',
        `Deleting node ${name}: decommissioned in the site inventory`,
      );
      await ignoreNotFound(
        this.ctx.registry
          .for(nodes)
          .delete(undefined, name, { preconditions: { uid: node.metadata.uid }, dryRun: false }),
      );
      return undefined;
    }
    await this.reportConflict(node);
    const metadata = await instances.instanceMetadata(node);
    const shutdown = await instances.instanceShutdown(node);
    if (!initializedNode(node, metadata, shutdown)) return undefined;
    await ignoreNotFound(
      this.ctx.registry.for(nodes).modify(undefined, name, (latest) => {
        const changes = initializedNode(latest, metadata, shutdown);
        if (!changes) return latest;
        const spec: Record<string, unknown> = {
          ...((latest.spec ?? {}) as Record<string, unknown>),
          taints: changes.taints,
        };
        if (changes.taints.length === 0) delete spec.taints;
        if (changes.providerID) spec.providerID = changes.providerID;
        return { ...latest, metadata: { ...latest.metadata, labels: changes.labels }, spec };
      }),
    );
    return undefined;
  }

  /** A gateway two Sites claim (their selectors both match it) gets no site metadata, and a Warning. */
  private async reportConflict(node: KubeObject): Promise<void> {
    const name = node.metadata.name!;
    const claiming = this.provider.sitesClaiming(node).map((site) => site.metadata.name!);
    const conflict = claiming.length > 1 ? claiming.sort().join(', ') : '';
    if ((this.reported.get(name) ?? '') === conflict) return;
    if (conflict) this.reported.set(name, conflict);
    else this.reported.delete(name);
    if (conflict)
      await this.events.record(
        node,
        'Warning',
        'SiteConflict',
        `gateway ${name} is in several sites (${conflict}): it gets no site metadata until one inventory lets it go`,
      );
  }
}
