// Every gateway's latest heartbeat, in memory. 10,000 gateways beating every 10 s are 1,000
// heartbeats a second: written through, each would be a store write and a watch event to every
// Lease watcher. So the heartbeat lands here; the node lifecycle controller and the LAST-SEEN
// column read it from here, and the Lease in kube-node-lease is persisted lazily (node-lease.ts).
// After a hub restart this book is empty: readers fall back to the stored Lease, and the node
// lifecycle controller measures silence from its own first look at each node (a full grace
// period, as kube-controller-manager does on startup), so lost renewals mark no gateway dead.

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export interface HeartbeatView {
  /** The node's latest heartbeat (MicroTime, the gateway's clock); undefined when none since start. */
  renewTime(node: string): string | undefined;
}

export class NodeHeartbeats implements HeartbeatView {
  /** Each node's newest beat, and its MicroTime text once asked for. */
  private readonly latest = new Map<string, { ms: number; text?: string }>();

  /** Keeps the newest beat: a late or redelivered one never moves the time back. */
  record(node: string, atMs: number): boolean {
    const last = this.latest.get(node);
    if (last !== undefined && last.ms >= atMs) return false;
    this.latest.set(node, { ms: atMs });
    return true;
  }

  latestMs(node: string): number | undefined {
    return this.latest.get(node)?.ms;
  }

  renewTime(node: string): string | undefined {
    const beat = this.latest.get(node);
    // The node lifecycle monitor asks for every node every 5 s: each beat is formatted once.
    if (beat !== undefined) beat.text ??= microTime(beat.ms);
    return beat?.text;
  }

  forget(node: string): void {
    this.latest.delete(node);
  }
}

/** The later of two RFC 3339 times (either may be missing). */
export function laterTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
