// Which gateways a node summary shows as behind on their desired state (summaries.ts): those
// whose applied revision has trailed the published one for `lagMs` (10 s). Every gateway's
// revision moves at each shared change (a Service), and republishing every node's summary for a
// lag that closes within a second told a dashboard nothing.
import type { Clock } from '../../api/clock.js';

export interface RevisionView {
  publishedRevision(node: string): number | undefined;
  appliedRevision(node: string): number | undefined;
}

export const defaultSyncLagMs = 10_000;

export class RevisionLag {
  /** Per node behind its published revision: since when (hub clock ms). */
  private readonly behindSince = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly revisions: RevisionView,
    private readonly clock: Clock,
    /** The node's summary must be rebuilt: it starts or stops showing a lag. */
    private readonly changed: (node: string) => void,
    private readonly lagMs = defaultSyncLagMs,
  ) {}

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The node's published or applied revision moved. */
  revisionChanged(node: string): void {
    const published = this.revisions.publishedRevision(node);
    const behind = published !== undefined && this.revisions.appliedRevision(node) !== published;
    const since = this.behindSince.get(node);
    if (behind && since === undefined) {
      this.behindSince.set(node, this.clock.now().getTime());
      this.timer ??= setTimeout(() => this.check(), this.lagMs);
    } else if (!behind && since !== undefined) {
      this.behindSince.delete(node);
      if (this.clock.now().getTime() - since >= this.lagMs) this.changed(node);
    } else if (behind && this.shows(node)) {
      this.changed(node); // still behind, on another revision
    }
  }

  /** Whether the node's summary shows its revisions now. */
  shows(node: string): boolean {
    const since = this.behindSince.get(node);
    return since !== undefined && this.clock.now().getTime() - since >= this.lagMs;
  }

  /** Nodes behind for lagMs now show it; the timer runs while any node is behind. */
  private check(): void {
    this.timer = undefined;
    if (this.stopped || this.behindSince.size === 0) return;
    const now = this.clock.now().getTime();
    let next = this.lagMs;
    for (const [node, since] of this.behindSince) {
      const age = now - since;
      if (age >= this.lagMs && age < this.lagMs * 2) this.changed(node);
      else if (age < this.lagMs) next = Math.min(next, this.lagMs - age);
    }
    this.timer = setTimeout(() => this.check(), Math.max(next, 50));
  }
}
