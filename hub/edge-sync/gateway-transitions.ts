// What an operator reads about a gateway's link: it joined, went offline (and why), came back.
// Each change is said once, at info, however many messages told of it: a gateway that drops its
// session is first seen by its presence (offline at once) and then by the Node going Unknown; a
// returning one registers and heartbeats. The hub's other lines about gateways are details.
import type { Logger } from '../../api/logger.js';
import type { KubeObject } from '../../api/types.js';

type LinkState = { state: 'online' } | { state: 'offline'; since: number };

export class GatewayTransitions {
  private readonly gateways = new Map<string, LinkState>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** A registration: the first of a new Node is a join; after an offline, a return. */
  registered(node: string, created: boolean): void {
    if (created) {
      this.gateways.set(node, { state: 'online' });
      this.log.info(`gateway ${node} joined`, { node });
      return;
    }
    this.online(node);
  }

  /** Heard from: registered again, or heartbeats after the hub marked it unreachable. */
  online(node: string): void {
    const before = this.gateways.get(node);
    if (before?.state === 'online') return;
    this.gateways.set(node, { state: 'online' });
    if (before === undefined) {
      // Known from before this hub started (a hub restart, or its first word since).
      this.log.info(`gateway ${node} online`, { node });
      return;
    }
    const seconds = Math.round((this.now() - before.since) / 1000);
    this.log.info(`gateway ${node} back online after ${seconds}s offline`, { node });
  }

  /** `why`: `MQTT session dropped`, `lease expired: not heard from for 40s`, … */
  offline(node: string, why: string): void {
    if (this.gateways.get(node)?.state === 'offline') return;
    this.gateways.set(node, { state: 'offline', since: this.now() });
    this.log.info(`gateway ${node} offline: ${why}`, { node });
  }

  /** A deleted Node: a gateway of the same name later is a new join. */
  forget(node: string): void {
    this.gateways.delete(node);
  }
}

/**
 * Why a Node update took its gateway offline, or undefined: Ready turned Unknown, by the node
 * lifecycle controller (no heartbeat within the grace period: the Lease expired) or by edge sync
 * (the MQTT session dropped, said from the presence already).
 */
export function offlineReason(node: KubeObject, old: KubeObject): string | undefined {
  const ready = readyOf(node);
  if (ready?.status !== 'Unknown' || readyOf(old)?.status === 'Unknown') return undefined;
  if (ready.message?.includes('MQTT session dropped')) return 'MQTT session dropped';
  return `lease expired: ${ready.message ?? 'no heartbeat within the grace period'}`;
}

function readyOf(node: KubeObject): { status?: string; message?: string } | undefined {
  const conditions = (node.status as { conditions?: { type: string; status?: string; message?: string }[] })
    ?.conditions;
  return conditions?.find((c) => c.type === 'Ready');
}
