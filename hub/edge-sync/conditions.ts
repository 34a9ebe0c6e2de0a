// Condition bookkeeping shared by node and pod status (Kubernetes API conventions: a
// condition's lastTransitionTime changes only when its status does). Times keep the gateway's
// millisecond precision (RFC 3339 allows fractional seconds) so ordering checks stay exact.

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  [field: string]: unknown;
}

export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** Milliseconds of an RFC 3339 time, or undefined when absent or unparsable. */
export function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function conditionsOf(status: unknown): Condition[] {
  const list = (status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(list) ? (list as Condition[]) : [];
}

/**
 * Folds reported node conditions into the stored ones (lastHeartbeatTime = observedAt): reported types are replaced (keeping
 * lastTransitionTime when the status did not change), other stored types are kept.
 */
export function mergeConditions(
  stored: Condition[],
  reported: Array<Pick<Condition, 'type' | 'status' | 'reason' | 'message'>>,
  observedAt: number,
): Condition[] {
  const at = isoMillis(observedAt);
  const byType = new Map(stored.map((c) => [c.type, c]));
  const merged = new Map(byType);
  for (const r of reported) {
    const old = byType.get(r.type);
    const next: Condition = { type: r.type, status: r.status };
    if (r.reason) next.reason = r.reason;
    if (r.message) next.message = r.message;
    next.lastHeartbeatTime = at;
    next.lastTransitionTime =
      old && old.status === r.status && old.lastTransitionTime ? old.lastTransitionTime : at;
    merged.set(r.type, next);
  }
  return [...merged.values()];
}
