// Heartbeats in: the node's Lease in kube-node-lease, as kubelet renews it every 10 s
// (leaseDurationSeconds 40) — but without a store write per heartbeat. A heartbeat only
// records its time in memory (hub/node-heartbeats.ts, which the node lifecycle controller and
// LAST-SEEN read); the Lease is written off the message path, in one pass every `flushMs`, and
// only when the stored renewTime is `persistAfterMs` (30 s) behind. With the agent's 10 s cadence
// that is one write per three heartbeats, and a stored Lease of a live gateway is never older
// than its 40 s duration, so anything reading the Lease itself still sees it held.
import { isApiError } from '../../api/errors.js';
import { type Logger, silentLogger } from '../../api/logger.js';
import type { Heartbeat } from '../../api/mqtt/payloads/heartbeat.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import { microTime, NodeHeartbeats } from '../node-heartbeats.js';

export { microTime };
export const leaseNamespace = 'kube-node-lease';
export const leaseDurationSeconds = 40;

export interface LeaseRenewerOptions {
  /** How far the stored renewTime may lag the latest heartbeat (default 30 s). */
  persistAfterMs?: number;
  /** How often due Leases are written, in one pass (default 1 s). */
  flushMs?: number;
}

export class LeaseRenewer {
  /** renewTime last written (or read back) per node, gateway clock. */
  private readonly persisted = new Map<string, number>();
  private readonly due = new Set<string>();
  private readonly persistAfterMs: number;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly leases: ResourceStore,
    private readonly nodes: ResourceStore,
    readonly heartbeats: NodeHeartbeats = new NodeHeartbeats(),
    options: LeaseRenewerOptions = {},
    private readonly log: Logger = silentLogger,
  ) {
    this.persistAfterMs = options.persistAfterMs ?? 30_000;
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 1_000);
    this.timer.unref();
  }

  /** In memory only; 'due' when the Lease will be written at the next flush. */
  renew(node: string, beat: Heartbeat): 'due' | 'recorded' | 'stale' {
    if (!this.heartbeats.record(node, beat.t)) return 'stale';
    const last = this.persisted.get(node);
    if (last !== undefined && beat.t - last < this.persistAfterMs) return 'recorded';
    this.due.add(node);
    return 'due';
  }

  /** The gateway went offline: its last heartbeat goes to the Lease at the next flush. */
  persistSoon(node: string): void {
    const at = this.heartbeats.latestMs(node);
    if (at !== undefined && at > (this.persisted.get(node) ?? 0)) this.due.add(node);
  }

  /** Writes every due Lease (one pass at a time); resolves when they are written. */
  flush(): Promise<void> {
    this.flushing ??= this.writeDue().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async writeDue(): Promise<void> {
    const nodes = [...this.due];
    this.due.clear();
    for (const node of nodes) {
      const at = this.heartbeats.latestMs(node);
      if (at === undefined) continue;
      try {
        await this.write(node, at);
        this.persisted.set(node, Math.max(at, this.persisted.get(node) ?? 0));
      } catch (err) {
        // Store unavailable: the next heartbeat makes it due again.
        this.log.warn(`lease of node ${node} not written: ${(err as Error).message}`);
      }
    }
  }

  private async write(node: string, at: number): Promise<void> {
    const spec = { holderIdentity: node, leaseDurationSeconds, renewTime: microTime(at) };
    try {
      await this.leases.modify(leaseNamespace, node, (lease) => {
        const stored = Date.parse(String((lease.spec as { renewTime?: unknown } | undefined)?.renewTime));
        if (stored >= at) return lease; // a newer beat already got there
        lease.spec = { ...((lease.spec as object | undefined) ?? {}), ...spec };
        return lease;
      });
    } catch (err) {
      if (!isApiError(err) || err.reason !== 'NotFound') throw err;
      await this.leases.create(leaseNamespace, await this.newLease(node, spec));
    }
  }

  /** Owned by its Node, like kubelet's, so deleting the Node removes the Lease. */
  private async newLease(node: string, spec: Record<string, unknown>): Promise<KubeObject> {
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: node, namespace: leaseNamespace },
      spec: { ...spec, acquireTime: spec.renewTime },
    };
    try {
      const owner = await this.nodes.get(undefined, node);
      lease.metadata.ownerReferences = [
        { apiVersion: 'v1', kind: 'Node', name: node, uid: owner.metadata.uid ?? '' },
      ];
    } catch {
      // No Node yet (heartbeat before registration): an unowned Lease is still useful.
    }
    return lease;
  }
}
