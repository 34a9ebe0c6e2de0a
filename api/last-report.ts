// When a gateway last reported a pod, and how the hub marks pods whose gateway it cannot reach
// (README, "Offline gateways keep their pods"). Shared by edge sync (which stamps the time) and
// the node lifecycle controller (which marks the pods). Pure.

/**
 * A condition of our own type holding, in lastProbeTime, when the agent observed the status
 * the hub stores (custom condition types are allowed, as readiness gates use them). Only the
 * agent's reports move it, so the hub's own marks never make a queued report look old.
 */
export const statusObservedCondition = 'flotilla.io/StatusObserved';

/** Reason of the Ready and ContainersReady conditions the hub sets False on an unreachable gateway. */
export const nodeUnreachableReason = 'NodeUnreachable';

interface ConditionLike {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  lastProbeTime?: unknown;
}

function conditionsOf(status: unknown): ConditionLike[] {
  const list = (status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(list) ? (list as ConditionLike[]).filter((c) => typeof c === 'object' && c) : [];
}

/** RFC 3339 time of the pod's last report from its gateway; undefined before the first. */
export function lastReportedAt(status: unknown): string | undefined {
  const time = conditionsOf(status).find((c) => c.type === statusObservedCondition)?.lastProbeTime;
  return typeof time === 'string' && time !== '' ? time : undefined;
}

/** Whether the hub marked the pod as last reported (its gateway unreachable). */
export function markedUnreachable(status: unknown): boolean {
  return conditionsOf(status).some((c) => c.type === 'Ready' && c.reason === nodeUnreachableReason);
}
