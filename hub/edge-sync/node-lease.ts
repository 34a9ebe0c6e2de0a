// Heartbeats in: renew the node's Lease in kube-node-lease, as kubelet does every 10 s
// (leaseDurationSeconds 40). Cheap on purpose: a heartbeat older than the last one written, or
// sooner than `minIntervalMs` after it, writes nothing.
import { isApiError } from '../../api/errors.js';
import type { Heartbeat } from '../../api/mqtt/payloads/heartbeat.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';

export const leaseNamespace = 'kube-node-lease';
export const leaseDurationSeconds = 40;

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export class LeaseRenewer {
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly leases: ResourceStore,
    private readonly nodes: ResourceStore,
    private readonly minIntervalMs = 5_000,
  ) {}

  async renew(node: string, beat: Heartbeat): Promise<'written' | 'skipped'> {
    const last = this.lastWritten.get(node);
    if (last !== undefined && beat.t - last < this.minIntervalMs) return 'skipped';
    const spec = { holderIdentity: node, leaseDurationSeconds, renewTime: microTime(beat.t) };
    try {
      await this.leases.modify(leaseNamespace, node, (lease) => {
        const stored = Date.parse(String((lease.spec as { renewTime?: unknown } | undefined)?.renewTime));
        if (stored > beat.t) return lease; // a newer beat already got there
        lease.spec = { ...((lease.spec as object | undefined) ?? {}), ...spec };
        return lease;
      });
    } catch (err) {
      if (!isApiError(err) || err.reason !== 'NotFound') throw err;
      await this.leases.create(leaseNamespace, await this.newLease(node, spec));
    }
    this.lastWritten.set(node, beat.t);
    return 'written';
  }

  forget(node: string): void {
    this.lastWritten.delete(node);
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
