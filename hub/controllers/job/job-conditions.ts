// Job conditions (batch/v1 JobConditionType). Since kube 1.31 a finishing Job first gets
// FailureTarget or SuccessCriteriaMet, its remaining pods are terminated, and only then does it
// get the terminal Failed or Complete with the same reason and message.
import type { Condition } from '../objects/kinds.js';

export const reasons = {
  backoffLimitExceeded: {
    reason: 'BackoffLimitExceeded',
    message: 'Job has reached the specified backoff limit',
  },
  deadlineExceeded: { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
  completionsReached: { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
  suspended: { reason: 'JobSuspended', message: 'Job suspended' },
  resumed: { reason: 'JobResumed', message: 'Job resumed' },
} as const;

export type ConditionType = 'Complete' | 'Failed' | 'FailureTarget' | 'SuccessCriteriaMet' | 'Suspended';

/**
 * The conditions with `type` set; lastTransitionTime moves only when the status flips
 * (API conventions: "the last time the condition transitioned from one status to another").
 */
export function withCondition(
  conditions: readonly Condition[],
  type: ConditionType,
  status: 'True' | 'False',
  why: { reason: string; message: string },
  now: string,
): Condition[] {
  const existing = conditions.find((c) => c.type === type);
  if (existing && existing.status === status && existing.reason === why.reason) return [...conditions];
  const next: Condition = {
    type,
    status,
    lastProbeTime: now,
    lastTransitionTime: existing?.status === status ? (existing.lastTransitionTime ?? now) : now,
    reason: why.reason,
    message: why.message,
  };
  return existing ? conditions.map((c) => (c === existing ? next : c)) : [...conditions, next];
}

export function isTrue(conditions: readonly Condition[] | undefined, type: ConditionType): boolean {
  return conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

/** The terminal condition a pending target turns into, once no pod is left running. */
export function terminalFor(
  conditions: readonly Condition[],
): { type: 'Complete' | 'Failed'; from: Condition } | undefined {
  for (const [target, terminal] of [
    ['FailureTarget', 'Failed'],
    ['SuccessCriteriaMet', 'Complete'],
  ] as const) {
    const from = conditions.find((c) => c.type === target && c.status === 'True');
    if (from) return { type: terminal, from };
  }
  return undefined;
}
