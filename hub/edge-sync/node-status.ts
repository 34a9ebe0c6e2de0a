// Node status in (a gateway's node status and the status part of its registration), and the
// other way a node's status changes: its MQTT session dropping. A report older than what is
// stored (queued while offline, or redelivered) changes nothing.
import { isDeepStrictEqual } from 'node:util';
import { isApiError } from '../../api/errors.js';
import type { NodeRegistration } from '../../api/mqtt/payloads/node-registration.js';
import type { NodeStatusReport } from '../../api/mqtt/payloads/node-status.js';
import type { ResourceStore } from '../apiserver/registry/resource-store.js';
import { type Condition, conditionsOf, isoMillis, mergeConditions, timeOf } from './conditions.js';

/** The conditions a registration reports (their heartbeat is the registration's time). */
export const registeredConditions: ReadonlySet<string> = new Set(['Ready']);

const readyCondition = {
  type: 'Ready',
  status: 'True',
  reason: 'KubeletReady',
  message: 'flotilla agent registered over MQTT',
};

/**
 * Node.status from a registration, keeping what else the stored status holds. A Ready that is
 * True already keeps the reason and message the gateway's node status gave it: otherwise the
 * registration and the node status sent after every connect would each rewrite the other's.
 */
export function registeredStatus(reg: NodeRegistration, stored: unknown): Record<string, unknown> {
  const base = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const ready = conditionsOf(base).find((c) => c.type === 'Ready');
  const report = ready?.status === 'True' ? { ...ready } : readyCondition;
  const conditions: Condition[] = mergeConditions(conditionsOf(base), [report], reg.observedAt);
  return {
    ...base,
    capacity: reg.capacity,
    allocatable: reg.allocatable,
    nodeInfo: { ...((base.nodeInfo as object | undefined) ?? {}), ...reg.nodeInfo },
    addresses: reg.addresses,
    conditions,
  };
}

export type StatusOutcome = 'written' | 'stale' | 'unchanged' | 'unknown-node';

/**
 * A node status that changes nothing but its conditions' heartbeat times is written only when
 * the stored heartbeat is this old, as kubelet posts an unchanged status only every
 * nodeStatusReportFrequency (5 minutes): liveness comes from heartbeats (the Lease), not from
 * Node writes. Every gateway sends its status after each connect, so after a hub restart 10,000
 * Node writes (each fanned out to every Node watcher) changed nothing but these times.
 */
export const unchangedStatusRefreshMs = 5 * 60_000;

/** Thrown inside a modify() to abandon the write. */
class Abandon extends Error {
  constructor(readonly outcome: StatusOutcome) {
    super(outcome);
  }
}

/**
 * The newest lastHeartbeatTime among the stored conditions of these types, in ms: only
 * conditions the agent itself reports count, so a condition another writer stamped with the
 * hub's clock cannot make the gateway's reports look old.
 */
export function lastReportedAt(status: unknown, types: ReadonlySet<string>): number | undefined {
  const times = conditionsOf(status)
    .filter((c) => types.has(c.type))
    .map((c) => timeOf(c.lastHeartbeatTime))
    .filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}

async function modifyStatus(
  nodes: ResourceStore,
  name: string,
  change: (status: Record<string, unknown>) => Record<string, unknown>,
): Promise<StatusOutcome> {
  try {
    await nodes.modify(
      undefined,
      name,
      (node) => {
        node.status = change((node.status ?? {}) as Record<string, unknown>);
        return node;
      },
      { subresource: 'status' },
    );
    return 'written';
  } catch (err) {
    if (err instanceof Abandon) return err.outcome;
    if (isApiError(err) && err.reason === 'NotFound') return 'unknown-node';
    throw err;
  }
}

export function applyNodeStatus(
  nodes: ResourceStore,
  name: string,
  report: NodeStatusReport,
): Promise<StatusOutcome> {
  return modifyStatus(nodes, name, (status) => {
    const newest = lastReportedAt(status, new Set(report.conditions.map((c) => c.type)));
    if (newest !== undefined && report.observedAt < newest) throw new Abandon('stale');
    const next: Record<string, unknown> = {
      ...status,
      conditions: mergeConditions(conditionsOf(status), report.conditions, report.observedAt),
    };
    if (report.capacity) next.capacity = report.capacity;
    if (report.allocatable) next.allocatable = report.allocatable;
    if (report.images) next.images = report.images;
    if (onlyRecentHeartbeats(status, next, report.observedAt, newest)) throw new Abandon('unchanged');
    return next;
  });
}

/**
 * Whether `next` differs from the stored `status` only in heartbeat times, with the stored
 * heartbeat (`newest`) younger than unchangedStatusRefreshMs at `observedAt`.
 */
function onlyRecentHeartbeats(
  status: Record<string, unknown>,
  next: Record<string, unknown>,
  observedAt: number,
  newest: number | undefined,
): boolean {
  const recent = newest !== undefined && observedAt - newest < unchangedStatusRefreshMs;
  return recent && isDeepStrictEqual(withoutHeartbeats(next), withoutHeartbeats(status));
}

/**
 * The status part of a registration (registeredStatus), under the same rule as a node status: a
 * gateway registers after every connect, and one whose registration changes nothing but the
 * Ready heartbeat is not written again (after a hub restart, 10,000 such writes).
 */
export function applyRegisteredStatus(
  nodes: ResourceStore,
  name: string,
  reg: NodeRegistration,
): Promise<StatusOutcome> {
  return modifyStatus(nodes, name, (status) => {
    const next = registeredStatus(reg, status);
    const newest = lastReportedAt(status, registeredConditions);
    if (onlyRecentHeartbeats(status, next, reg.observedAt, newest)) throw new Abandon('unchanged');
    return next;
  });
}

function withoutHeartbeats(status: Record<string, unknown>): Record<string, unknown> {
  const conditions = conditionsOf(status).map(({ lastHeartbeatTime: _, ...rest }) => rest);
  return { ...status, conditions };
}

export const unreachableReason = 'NodeStatusUnknown';

/**
 * The gateway's session ended: Ready becomes Unknown at once (what kube's node lifecycle
 * controller does only after the grace period, because kubelet has no session to lose).
 * Repeated offline notices (Will, then the broker's own) write nothing.
 */
export function markNodeUnreachable(nodes: ResourceStore, name: string, at: Date): Promise<StatusOutcome> {
  return modifyStatus(nodes, name, (status) => {
    const conditions = conditionsOf(status);
    const ready = conditions.find((c) => c.type === 'Ready');
    if (ready?.status === 'Unknown' && ready.reason === unreachableReason) return status;
    const next: Condition = {
      ...(ready ?? { type: 'Ready' }),
      type: 'Ready',
      status: 'Unknown',
      reason: unreachableReason,
      message: `Gateway unreachable since ${isoMillis(at.getTime())}: MQTT session dropped`,
      lastTransitionTime: isoMillis(at.getTime()),
    };
    return { ...status, conditions: [...conditions.filter((c) => c.type !== 'Ready'), next] };
  });
}

/**
 * A gateway heard again (a heartbeat) while marked Unknown for silence or a dropped session:
 * each condition the hub turned Unknown goes back to what the gateway last reported (`reported`,
 * kept in memory from its node status), Ready to True when nothing is kept — at once, not only
 * with its next node status, which may be minutes away (kubelet's next status post does the same
 * in kube within 10 s). lastHeartbeatTime stays the report's, so a node status still queued is
 * not taken for stale.
 */
export function markNodeReachable(
  nodes: ResourceStore,
  name: string,
  reported: readonly Pick<Condition, 'type' | 'status' | 'reason' | 'message'>[] | undefined,
  at: Date,
): Promise<StatusOutcome> {
  return modifyStatus(nodes, name, (status) => {
    let changed = false;
    const conditions = conditionsOf(status).map((c) => {
      if (c.status !== 'Unknown' || c.reason !== unreachableReason) return c;
      const last = reported?.find((r) => r.type === c.type);
      const back = last ?? (c.type === 'Ready' ? heardAgain : undefined);
      if (!back) return c;
      changed = true;
      const next: Condition = { ...c, status: back.status, lastTransitionTime: isoMillis(at.getTime()) };
      delete next.reason;
      delete next.message;
      if (back.reason) next.reason = back.reason;
      if (back.message) next.message = back.message;
      return next;
    });
    if (!changed) throw new Abandon('stale');
    return { ...status, conditions };
  });
}

const heardAgain = {
  status: 'True',
  reason: 'KubeletReady',
  message: 'Gateway heard again (heartbeat); its next node status confirms',
};
