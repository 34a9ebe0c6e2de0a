// Keeps every aggregated ClusterRole's rules equal to those of the ClusterRoles its
// aggregationRule selects (api/rbac/aggregation.ts): a role labelled
// `rbac.authorization.k8s.io/aggregate-to-view: "true"` extends `view` at once.
import { aggregatedRules, aggregationSelectors } from '../../../api/rbac/aggregation.js';
import type { KubeObject } from '../../../api/types.js';
import { jsonEqual } from '../../../api/validation/deep-equal.js';
import { WorkQueue } from '../../client/work-queue.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';

const clusterRoles = { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' };

export class ClusterRoleAggregationController implements Controller {
  readonly name = 'clusterrole-aggregation';
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue((name) => this.reconcile(name), {
      name: 'clusterrole_aggregation',
      onError: (name, err) => ctx.log(`clusterrole aggregation: ${name}: ${(err as Error).message}`),
    });
  }

  start(): void {
    const informer = this.ctx.informers.for(clusterRoles);
    // Any ClusterRole's change may change what an aggregated one selects: look at them all.
    const changed = () => {
      for (const role of informer.list()) {
        if (aggregationSelectors(role)) this.queue.add(role.metadata.name ?? '');
      }
    };
    informer.addHandler({ add: changed, update: changed, delete: changed });
  }

  stop(): void {
    this.queue.stop();
  }

  async reconcile(name: string): Promise<undefined> {
    const informer = this.ctx.informers.for(clusterRoles);
    const role = informer.get(name);
    if (!role || !aggregationSelectors(role)) return undefined;
    const rules = aggregatedRules(role, informer.list());
    if (jsonEqual(rules, role.rules)) return undefined;
    await ignoreNotFound(
      this.ctx.registry.for(clusterRoles).modify(undefined, name, (current: KubeObject) => ({
        ...current,
        rules: aggregatedRules(current, informer.list()),
      })),
    );
    return undefined;
  }
}
