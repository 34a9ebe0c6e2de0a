// The node lifecycle controller: a gateway whose Lease stops renewing (and whose Ready
// heartbeat stops) for the grace period is marked Ready=Unknown; every node carries the taints
// its conditions call for (unreachable, not-ready, pressure, cordon). The taints only keep new
// pods away and start tolerationSeconds clocks: by default Flotilla pods tolerate unreachable
// and not-ready forever (see pod-hooks.ts), so an offline gateway keeps its workloads. Its
// pods are marked as last reported (pod-marking.ts) while it is Unknown.
import { isDeepStrictEqual } from 'node:util';
import { lastReportedAt } from '../../../api/last-report.js';
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import { laterTime } from '../../node-heartbeats.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import { findCondition } from '../objects/conditions.js';
import { asNode, asPod, type Condition, type Node, type Pod } from '../objects/kinds.js';
import { podsOnNode } from '../objects/pods-on-node.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import { lastHeartbeat, type Observation, observe, silentFor, staleConditions } from './node-health.js';
import { desiredTaints, sameTaints } from './node-taints.js';
import { reachablePodConditions, unreachablePodConditions } from './pod-marking.js';

export interface NodeLifecycleOptions {
  /** kube's --node-monitor-grace-period (default 40s). */
  nodeMonitorGracePeriodMs?: number;
  /**
   * kube's --node-startup-grace-period: the silence allowed a gateway not heard from since the
   * controller's first look at it — a new node, or every node after a hub start, while the fleet
   * reconnects (10,000 gateways took 52 s in the fleet bench). Never less than the grace period;
   * by default equal to it.
   */
  nodeStartupGracePeriodMs?: number;
  /** How often every node is checked for silence (kube's --node-monitor-period, 5s). */
  nodeMonitorPeriodMs?: number;
  /**
   * How long a gateway heard again has to send its pods' statuses itself (its agent resends them
   * all after a reconnect) before the hub takes back marks still left (default 10s).
   */
  podUnmarkDelayMs?: number;
}

export const nodeLeaseNamespace = 'kube-node-lease';
const nodes = { group: '', resource: 'nodes' };
const leases = { group: 'coordination.k8s.io', resource: 'leases' };
const pods = { group: '', resource: 'pods' };

export class NodeLifecycleController extends ReconcilingController {
  private readonly observations = new Map<string, Observation>();
  /** Per node, the reachability its pods' marks follow (in memory: a hub start checks again). */
  private readonly marks = new Map<string, string>();
  /** Per node, when (controller time) it was first seen reachable again. */
  private readonly reachableSince = new Map<string, number>();
  private readonly unmarkDelayMs: number;
  private readonly graceMs: number;
  private readonly startupGraceMs: number;
  private readonly periodMs: number;
  private monitor: NodeJS.Timeout | undefined;

  constructor(ctx: ControllerContext, options: NodeLifecycleOptions = {}) {
    super(ctx, {
      name: 'node-lifecycle',
      queue: 'node_lifecycle',
      failures: { component: 'node lifecycle controller', resource: nodes },
    });
    this.graceMs = options.nodeMonitorGracePeriodMs ?? 40_000;
    this.startupGraceMs = Math.max(this.graceMs, options.nodeStartupGracePeriodMs ?? 0);
    this.periodMs = options.nodeMonitorPeriodMs ?? 5_000;
    this.unmarkDelayMs = options.podUnmarkDelayMs ?? 10_000;
  }

  protected watches(): Watch[] {
    return [
      { resource: nodes },
      {
        resource: leases,
        on: ['add', 'update'],
        keys: (lease) => (lease.metadata.namespace === nodeLeaseNamespace ? lease.metadata.name! : undefined),
      },
      { resource: pods, on: [] },
    ];
  }

  /** Every node is looked at each period too: a silent gateway changes nothing the informers see. */
  override start(): void {
    super.start();
    this.monitor = setInterval(() => {
      for (const node of this.ctx.informers.for(nodes).list()) this.queue.add(node.metadata.name!);
    }, this.periodMs);
    this.monitor.unref();
  }

  override stop(): void {
    if (this.monitor) clearInterval(this.monitor);
    super.stop();
  }

  async reconcile(name: string): Promise<undefined> {
    const { informers, registry, clock } = this.ctx;
    const found = informers.for(nodes).get(name);
    if (!found) {
      this.observations.delete(name);
      this.marks.delete(name);
      this.reachableSince.delete(name);
      return undefined;
    }
    const node = asNode(found);
    const now = clock.now();
    const nowText = kubeTime(now);
    const lease = informers.for(leases).get(`${nodeLeaseNamespace}/${name}`);
    // The latest heartbeat is in memory; the stored Lease lags it by up to 30 s (node-lease.ts).
    const renewTime = laterTime(
      this.ctx.heartbeats?.renewTime(name),
      (lease?.spec as { renewTime?: string } | undefined)?.renewTime,
    );
    const observation = observe(this.observations.get(name), node, renewTime, now.getTime());
    this.observations.set(name, observation);
    const store = registry.for(nodes);
    const graceMs = observation.firstLook ? this.startupGraceMs : this.graceMs;
    // Heard from within the grace period (every healthy gateway, every 5 s): nothing to work out.
    const silent = silentFor(observation, now.getTime(), graceMs);
    const lastSeen = silent ? lastHeartbeat(node, renewTime) : undefined;
    if (silent && staleConditions(node, observation, now.getTime(), graceMs, nowText, lastSeen)) {
      await ignoreNotFound(
        store.modify(
          undefined,
          name,
          (latest) => {
            const fresh = asNode(latest);
            // A heartbeat that arrived meanwhile wins over the silence seen a moment ago.
            if (observe(observation, fresh, renewTime, now.getTime()) !== observation) return latest;
            const seen = lastHeartbeat(fresh, renewTime);
            const conditions = staleConditions(fresh, observation, now.getTime(), graceMs, nowText, seen);
            return conditions ? { ...latest, status: { ...(latest.status as object), conditions } } : latest;
          },
          { subresource: 'status' },
        ),
      );
      this.log.debug(`${name}: not heard from for ${graceMs / 1000}s`);
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
    await this.syncPodMarks(current, now);
    return undefined;
  }

  /**
   * Marks the pods of an unreachable gateway as last reported, and takes the mark back once it
   * is heard again; once per change of the node's reachability (and once after a hub start).
   */
  private async syncPodMarks(node: Node, clockNow: Date): Promise<void> {
    const name = node.metadata.name!;
    const now = kubeTime(clockNow);
    const ready = findCondition(node.status?.conditions, 'Ready');
    const unreachable = ready?.status === 'Unknown';
    const state = unreachable ? `unreachable since ${ready.lastTransitionTime ?? ''}` : 'reachable';
    if (this.marks.get(name) === state) return;
    if (unreachable) {
      this.reachableSince.delete(name);
    } else {
      // The gateway's own reports replace the marks; only those still left later are taken back
      // here (the node monitor comes back every period).
      const since = this.reachableSince.get(name) ?? clockNow.getTime();
      this.reachableSince.set(name, since);
      if (clockNow.getTime() - since < this.unmarkDelayMs) return;
    }
    const since = ready?.lastTransitionTime;
    const change = (pod: Pod) =>
      unreachable ? unreachablePodConditions(pod, name, since, now) : reachablePodConditions(pod, now);
    const due = podsOnNode(this.ctx.informers.for(pods), name)
      .map(asPod)
      .filter((p) => change(p));
    if (due.length > 0) {
      // The informer may lag: the gateway may be back already (it registers before it reports
      // its pods), or gone again. Try again on the next reconcile then.
      const stored = await ignoreNotFound(this.ctx.registry.for(nodes).get(undefined, name));
      const storedReady = stored ? findCondition(asNode(stored).status?.conditions, 'Ready') : undefined;
      if (!stored || (storedReady?.status === 'Unknown') !== unreachable) return;
      for (const pod of due) await this.writePodMark(pod, change);
      const what = unreachable ? 'marked NodeUnreachable' : 'unmarked';
      this.log.info(`${name}: ${due.length} pod(s) ${what}`);
    }
    this.marks.set(name, state);
  }

  private async writePodMark(pod: Pod, change: (pod: Pod) => Condition[] | undefined): Promise<void> {
    await ignoreNotFound(
      this.ctx.registry.for(pods).modify(
        pod.metadata.namespace,
        pod.metadata.name!,
        (latest) => {
          const fresh = asPod(latest);
          // A report that arrived meanwhile is newer than anything the hub could write.
          if (fresh.metadata.uid !== pod.metadata.uid) return latest;
          if (lastReportedAt(fresh.status) !== lastReportedAt(pod.status)) return latest;
          const conditions = change(fresh);
          return conditions ? { ...latest, status: { ...(latest.status as object), conditions } } : latest;
        },
        { subresource: 'status' },
      ),
    );
  }
}
