// Keeps every aggregated ClusterRole's rules equal to those of the ClusterRoles its
// aggregationRule selects (api/rbac/aggregation.ts): a role labelled
// `rbac.authorization.k8s.io/aggregate-to-view: "true"` extends `view` at once.
import { aggregatedRules, aggregationSelectors } from '../../../api/rbac/aggregation.js';
import type { KubeObject } from '../../../api/types.js';
import { jsonEqual } from '../../../api/validation/deep-equal.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';

const clusterRoles = { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' };

export class ClusterRoleAggregationController extends ReconcilingController {
  constructor(ctx: ControllerContext) {
    super(ctx, {
      name: 'clusterrole-aggregation',
      queue: 'clusterrole_aggregation',
      failures: { component: 'clusterrole aggregation' },
    });
  }

  protected watches(): Watch[] {
    // Any ClusterRole's change may change what an aggregated one selects: look at them all.
    const aggregated = () =>
      this.ctx.informers
        .for(clusterRoles)
        .list()
        .filter((role) => aggregationSelectors(role))
        .map((role) => role.metadata.name ?? '');
    return [{ resource: clusterRoles, keys: aggregated }];
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
