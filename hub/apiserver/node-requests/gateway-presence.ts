// Whether each gateway's agent is connected, as its retained presence message says: a request to
// a gateway that never connected, or that is offline, fails at once instead of timing out.
import type { Presence } from '../../../api/mqtt/payloads/presence.js';
import { NodeRequestError } from './request-options.js';

export class GatewayPresence {
  private readonly presence = new Map<string, { online: boolean; since: number }>();

  constructor(private readonly now: () => number) {}

  /** Records the node's presence; true when it says the node went offline. */
  record(node: string, payload: Presence): boolean {
    const online = payload.state === 'online';
    this.presence.set(node, { online, since: payload.since ?? this.now() });
    return !online;
  }

  /** Gateways whose agent is connected, and those whose presence says offline. */
  counts(): { online: number; offline: number } {
    let online = 0;
    for (const known of this.presence.values()) if (known.online) online++;
    return { online, offline: this.presence.size - online };
  }

  /** Whether the node's agent is connected; undefined if never seen. */
  of(node: string): { online: boolean; since: Date } | undefined {
    const known = this.presence.get(node);
    return known && { online: known.online, since: new Date(known.since) };
  }

  /** Why a request to `node` cannot be sent now; undefined when it can. */
  unreachable(node: string): NodeRequestError | undefined {
    const known = this.presence.get(node);
    if (!known) return new NodeRequestError('offline', `gateway ${node} has not connected to the hub`);
    if (known.online) return undefined;
    const since = new Date(known.since);
    return new NodeRequestError('offline', `gateway ${node} is offline since ${since.toISOString()}`, since);
  }
}
