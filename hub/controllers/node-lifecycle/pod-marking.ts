// Pods on an unreachable gateway, marked as last reported (kube's MarkPodsNotReady), pure. What
// the hub stores about them is only what the gateway said last; nobody knows whether they still
// run, so Ready and ContainersReady turn False with reason NodeUnreachable and a message naming
// the last report (Services stop sending traffic from elsewhere). The StatusObserved condition is left alone: the mark is no observation, so the
// statuses the gateway queued offline still count as newer, and its next report replaces it all.
// Once the gateway is heard again the mark is taken back from the last report itself, for the
// pods the gateway has nothing new to say about (a Lease that went silent while the session
// stayed up: the agent never knew it was marked).
import { lastReportedAt, markedUnreachable, nodeUnreachableReason } from '../../../api/last-report.js';
import type { Condition, Pod } from '../objects/kinds.js';

interface ReportedContainer {
  name?: string;
  ready?: boolean;
}

const marked = ['Ready', 'ContainersReady'];

/** The pod's conditions once marked; undefined when there is nothing to mark. */
export function unreachablePodConditions(
  pod: Pod,
  nodeName: string,
  unreachableSince: string | undefined,
  now: string,
): Condition[] | undefined {
  const status = pod.status;
  if (status?.phase === 'Succeeded' || status?.phase === 'Failed') return undefined;
  if (markedUnreachable(status)) return undefined;
  const conditions = status?.conditions ?? [];
  // A pod never reported has no readiness to take back.
  if (!conditions.some((c) => c.type === 'Ready')) return undefined;
  const since = unreachableSince ? ` since ${unreachableSince}` : '';
  const reported = lastReportedAt(status);
  const message =
    `Gateway ${nodeName} unreachable${since}; ` +
    (reported ? `status as last reported at ${reported}` : 'status never reported');
  return conditions.map((c) =>
    marked.includes(c.type)
      ? {
          ...c,
          status: 'False',
          reason: nodeUnreachableReason,
          message,
          lastTransitionTime: c.status === 'False' && c.lastTransitionTime ? c.lastTransitionTime : now,
        }
      : c,
  );
}

/**
 * The conditions of a marked pod with the mark taken back: Ready and ContainersReady as the
 * agent derives them (pod-conditions.ts) from the container statuses it last reported.
 * Undefined when the pod is not marked.
 */
export function reachablePodConditions(pod: Pod, now: string): Condition[] | undefined {
  const status = pod.status;
  if (!markedUnreachable(status)) return undefined;
  const containers = (status?.containerStatuses ?? []) as ReportedContainer[];
  const unready = containers.filter((c) => c.ready !== true).map((c) => c.name ?? '');
  const ready = containers.length > 0 && unready.length === 0;
  return (status?.conditions ?? []).map((c) => {
    if (!marked.includes(c.type)) return c;
    const next: Condition = ready
      ? { type: c.type, status: 'True' }
      : {
          type: c.type,
          status: 'False',
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${unready.join(' ')}]`,
        };
    const lastTransitionTime = next.status === c.status && c.lastTransitionTime ? c.lastTransitionTime : now;
    return { ...next, lastProbeTime: c.lastProbeTime ?? null, lastTransitionTime };
  });
}
