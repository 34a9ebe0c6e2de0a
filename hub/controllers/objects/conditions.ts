// Status conditions: finding one by type (meta.FindStatusCondition), and setting those of
// ReplicaSets and Deployments (kube's SetDeploymentCondition / SetCondition): a condition with
// the same status and reason is left alone, a change of reason keeps lastTransitionTime, a
// change of status starts a new transition. Functions return new arrays and never modify their
// input.
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import type { Condition, ConditionStatus } from './kinds.js';

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function newCondition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: Date,
  withUpdateTime = true,
): Condition {
  const time = kubeTime(now);
  return {
    type,
    status,
    ...(withUpdateTime ? { lastUpdateTime: time } : {}),
    lastTransitionTime: time,
    reason,
    message,
  };
}

export function setCondition(
  conditions: readonly Condition[] | undefined,
  condition: Condition,
): Condition[] {
  const list = conditions ?? [];
  const current = findCondition(list, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return [...list];
  const next =
    current && current.status === condition.status
      ? { ...condition, lastTransitionTime: current.lastTransitionTime }
      : condition;
  return [...list.filter((c) => c.type !== condition.type), next];
}

export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
