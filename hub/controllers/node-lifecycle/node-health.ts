// Whether a gateway is still heard from (kube's node lifecycle monitor), pure. A heartbeat is
// a new Lease renewTime or a new Ready lastHeartbeatTime; the controller notes *its own* time
// when it sees one, so a gateway with a wrong clock is judged correctly. Silence longer than
// the grace period turns Ready and the pressure conditions Unknown. A Ready condition that is
// already Unknown (the MQTT layer sets it when a gateway's session drops) is left as written.
// The Ready condition's message says since when the gateway is silent (its last heartbeat), so
// `kubectl describe node` answers "since when" without a look at the Lease.

import { findCondition } from '../objects/conditions.js';
import type { Condition, Node } from '../objects/kinds.js';

export interface Observation {
  /** The controller's time when the latest heartbeat was first seen. */
  probeMs: number;
  heartbeat: string;
  /** No heartbeat seen since the controller's first look (a hub start, or a new node). */
  firstLook?: true;
}

/** Keeps the probe time while the heartbeat is unchanged, moves it when there is a new one. */
export function observe(
  previous: Observation | undefined,
  node: Node,
  leaseRenewTime: string | undefined,
  nowMs: number,
): Observation {
  const ready = findCondition(node.status?.conditions, 'Ready');
  const heartbeat = `${leaseRenewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}`;
  if (previous && previous.heartbeat === heartbeat) return previous;
  return previous ? { probeMs: nowMs, heartbeat } : { probeMs: nowMs, heartbeat, firstLook: true };
}

const monitored = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** Whether the gateway has not been heard from for longer than the grace period. */
export function silentFor(observation: Observation, nowMs: number, graceMs: number): boolean {
  return nowMs - observation.probeMs > graceMs;
}

/** The gateway's last heartbeat: the later of its Lease renewTime and its Ready lastHeartbeatTime. */
export function lastHeartbeat(node: Node, leaseRenewTime: string | undefined): Date | undefined {
  const ready = findCondition(node.status?.conditions, 'Ready');
  const times = [leaseRenewTime, ready?.lastHeartbeatTime]
    .map((t) => Date.parse(t ?? ''))
    .filter((t) => !Number.isNaN(t));
  return times.length > 0 ? new Date(Math.max(...times)) : undefined;
}

function readyMessage(lastSeen: Date | undefined, graceMs: number): string {
  if (!lastSeen) return 'Gateway unreachable: it never sent a heartbeat';
  const since = lastSeen.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `Gateway unreachable since ${since}: no heartbeat for more than ${Math.round(graceMs / 1000)}s`;
}

/** The node's conditions once its silence outlasted the grace period; undefined when nothing changes. */
export function staleConditions(
  node: Node,
  observation: Observation,
  nowMs: number,
  graceMs: number,
  now: string,
  lastSeen?: Date,
): Condition[] | undefined {
  if (!silentFor(observation, nowMs, graceMs)) return undefined;
  const conditions = [...(node.status?.conditions ?? [])];
  let changed = false;
  for (const type of monitored) {
    const index = conditions.findIndex((c) => c.type === type);
    const current = conditions[index];
    if (current?.status === 'Unknown') continue;
    changed = true;
    const never = { reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' };
    const stopped = { reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
    const reason = current ? stopped : never;
    const next: Condition = {
      type,
      status: 'Unknown',
      ...reason,
      ...(type === 'Ready' ? { message: readyMessage(lastSeen, graceMs) } : {}),
      lastHeartbeatTime: current?.lastHeartbeatTime ?? node.metadata.creationTimestamp ?? now,
      lastTransitionTime: now,
    };
    if (index >= 0) conditions[index] = next;
    else conditions.push(next);
  }
  return changed ? conditions : undefined;
}
