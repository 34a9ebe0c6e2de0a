// The node lifecycle controller: a gateway whose Lease stops renewing (and whose Ready
// heartbeat stops) for the grace period is marked Ready=Unknown; every node carries the taints
// its conditions call for (unreachable, not-ready, pressure, cordon). The taints only keep new
// pods away and start tolerationSeconds clocks: by default Flotilla pods tolerate unreachable
// and not-ready forever (see pod-hooks.ts), so an offline gateway keeps its workloads.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { asNode, type Node } from '../objects/kinds.js';
import type { Controller, ControllerContext } from '../runtime/controller.js';
import { WorkQueue } from '../runtime/work-queue.js';
import { type Observation, observe, staleConditions } from './node-health.js';
import { desiredTaints, sameTaints } from './node-taints.js';

export interface NodeLifecycleOptions {
  /** kube's --node-monitor-grace-period (default 40s). */
  nodeMonitorGracePeriodMs?: number;
  /** How often every node is checked for silence (kube's --node-monitor-period, 5s). */
  nodeMonitorPeriodMs?: number;
}

export const nodeLeaseNamespace = 'kube-node-lease';
const nodes = { group: '', resource: 'nodes' };
const leases = { group: 'coordination.k8s.io', resource: 'leases' };

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';
  private readonly queue: WorkQueue;
  private readonly observations = new Map<string, Observation>();
  private readonly graceMs: number;
  private readonly periodMs: number;
  private monitor: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    options: NodeLifecycleOptions = {},
  ) {
    this.graceMs = options.nodeMonitorGracePeriodMs ?? 40_000;
    this.periodMs = options.nodeMonitorPeriodMs ?? 5_000;
    this.queue = new WorkQueue((name) => this.reconcile(name), {
      onError: (name, err) => ctx.log(`node lifecycle controller: ${name}: ${(err as Error).message}`),
    });
  }

  start(): void {
    const enqueue = (node: KubeObject) => this.queue.add(node.metadata.name!);
    this.ctx.informers.for(nodes).addHandler({ add: enqueue, update: enqueue, delete: enqueue });
    const enqueueHolder = (lease: KubeObject) => {
      if (lease.metadata.namespace === nodeLeaseNamespace) this.queue.add(lease.metadata.name!);
    };
    this.ctx.informers.for(leases).addHandler({ add: enqueueHolder, update: enqueueHolder });
    this.monitor = setInterval(() => {
      for (const node of this.ctx.informers.for(nodes).list()) enqueue(node);
    }, this.periodMs);
    this.monitor.unref();
  }

  stop(): void {
    if (this.monitor) clearInterval(this.monitor);
    this.queue.stop();
  }

  async reconcile(name: string): Promise<undefined> {
    const { informers, registry, clock } = this.ctx;
    const found = informers.for(nodes).get(name);
    if (!found) {
      this.observations.delete(name);
      return undefined;
    }
    const node = asNode(found);
    const now = clock.now();
    const nowText = kubeTime(now);
    const lease = informers.for(leases).get(`${nodeLeaseNamespace}/${name}`);
    const renewTime = (lease?.spec as { renewTime?: string } | undefined)?.renewTime;
    const observation = observe(this.observations.get(name), node, renewTime, now.getTime());
    this.observations.set(name, observation);
    const store = registry.for(nodes);
    if (staleConditions(node, observation, now.getTime(), this.graceMs, nowText)) {
      await ignoreNotFound(
        store.modify(
          undefined,
          name,
          (latest) => {
            const fresh = asNode(latest);
            // A heartbeat that arrived meanwhile wins over the silence seen a moment ago.
            if (observe(observation, fresh, renewTime, now.getTime()) !== observation) return latest;
            const conditions = staleConditions(fresh, observation, now.getTime(), this.graceMs, nowText);
            return conditions ? { ...latest, status: { ...(latest.status as object), conditions } } : latest;
          },
          { subresource: 'status' },
        ),
      );
      this.ctx.log(`node lifecycle controller: ${name}: not heard from for ${this.graceMs / 1000}s`);
    }
    // Taints follow the conditions as they are stored now (the informer has any write above).
    const current = asNode(informers.for(nodes).get(name) ?? found);
    if (
      !sameTaints(desiredTaints(current, current.status?.conditions, nowText), current.spec?.taints ?? [])
    ) {
      await ignoreNotFound(
        store.modify(undefined, name, (latest) => {
          const fresh = asNode(latest);
          const taints = desiredTaints(fresh, fresh.status?.conditions, nowText);
          const spec: Node['spec'] = { ...fresh.spec, taints };
          if (taints.length === 0) delete spec.taints;
          return isDeepStrictEqual(spec, fresh.spec) ? latest : { ...latest, spec };
        }),
      );
    }
    return undefined;
  }
}
