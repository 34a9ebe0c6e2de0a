// The Deployment controller: owns ReplicaSets named `<deployment>-<pod-template-hash>` and rolls
// a Deployment from one to the next by its strategy. Each sync claims the ReplicaSets (adopting
// matching orphans, releasing ones that stop matching), groups the pods by ReplicaSet, and hands
// the rest to DeploymentRun.

import { backgroundTurns, inTurns, longWalk } from '../../client/background-turns.js';
import type { Informer } from '../../client/informer.js';
import { type Requeue, withQuietPeriod } from '../../client/work-queue.js';
import { controlledBy } from '../objects/controlled-by.js';
import { newControllerRef } from '../objects/controller-ref.js';
import {
  claimObjects,
  planClaims,
  recheckDeletionTimestamp,
  selectorMatcher,
} from '../objects/controller-ref-manager.js';
import type { Deployment, Pod, ReplicaSet } from '../objects/kinds.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import { DeploymentRun } from './deployment-sync.js';
import { DeploymentWatch } from './deployment-watch.js';
import { DeploymentWrites } from './deployment-writes.js';

const deploymentResource = { group: 'apps', resource: 'deployments' };
const rsResource = { group: 'apps', resource: 'replicasets' };
const podResource = { group: '', resource: 'pods' };

export class DeploymentController extends ReconcilingController {
  private readonly deployments: Informer;
  private readonly replicaSets: Informer;
  private readonly pods: Informer;
  private readonly writes: DeploymentWrites;

  constructor(ctx: ControllerContext) {
    super(ctx, {
      name: 'deployment',
      failures: { component: 'deployment controller', resource: deploymentResource },
    });
    this.deployments = ctx.informers.for(deploymentResource);
    this.replicaSets = ctx.informers.for(rsResource);
    this.pods = ctx.informers.for(podResource);
    this.writes = new DeploymentWrites(ctx.registry);
  }

  /** Which Deployments their ReplicaSets' and pods' changes queue, and how urgently, is DeploymentWatch's. */
  protected watches(): Watch[] {
    return [];
  }

  override start(): void {
    new DeploymentWatch(this.deployments, this.replicaSets, this.pods, this.queue).start();
  }

  async reconcile(key: string): Promise<Requeue | undefined> {
    const d = this.deployments.get(key) as Deployment | undefined;
    if (!d) return undefined;
    const rsList = await this.claimReplicaSets(d);
    const pods = await this.podsByReplicaSet(d, rsList);
    let counted = 0;
    for (const list of pods.values()) counted += list.length;
    // Grouping walked every pod of the namespace; the rollout's arithmetic walks them again.
    if (counted > longWalk) await backgroundTurns.yieldTurn();
    const result = await new DeploymentRun(d, rsList, pods, this.writes, this.ctx.clock).run();
    return withQuietPeriod(result, counted);
  }

  private async claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const candidates = this.replicaSets.list(d.metadata.namespace) as ReplicaSet[];
    const plan = planClaims(d, selectorMatcher(d.spec.selector), candidates);
    return claimObjects(plan, {
      store: this.ctx.registry.for(rsResource),
      ref: newControllerRef(d),
      canAdopt: recheckDeletionTimestamp(this.ctx.registry.for(deploymentResource), d),
    });
  }

  /** The Deployment's pods (terminating ones too) by the uid of their controlling ReplicaSet. */
  private async podsByReplicaSet(d: Deployment, rsList: ReplicaSet[]): Promise<Map<string, Pod[]>> {
    const matches = selectorMatcher(d.spec.selector);
    const byReplicaSet = new Map<string, Pod[]>();
    for (const rs of rsList) {
      const uid = rs.metadata.uid ?? '';
      const owned = controlledBy(this.pods, d.metadata.namespace, uid) as Pod[];
      const parts = await inTurns(owned, (pods) => pods.filter((pod) => matches(pod.metadata.labels)));
      byReplicaSet.set(uid, parts.flat());
    }
    return byReplicaSet;
  }
}
