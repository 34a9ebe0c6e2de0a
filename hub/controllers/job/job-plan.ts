// The Job planner, pure (kube's syncJob and manageJob): decides the Job's target state
// (failed on back-off limit or deadline, succeeded on completions), which pods to delete and
// how many to create, and when to look again. Counters come in already accounted.
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import type { Condition, Pod } from '../objects/kinds.js';
import { isPodActive, isPodReady, isPodTerminal } from '../objects/pod-conditions.js';
import { parseIndexes } from './completed-indexes.js';
import { type BackoffPolicy, remainingBackoffMs } from './job-backoff.js';
import { isTrue, reasons, terminalFor, withCondition } from './job-conditions.js';
import { completionIndex, type Job, type JobStatusView } from './job-view.js';

export interface JobPlan {
  /** Conditions and start time; the pod counts are filled in after the plan ran. */
  status: JobStatusView;
  deletePods: string[];
  /** One entry per pod to create: its completion index, or undefined for NonIndexed. */
  create: (number | undefined)[];
  wakeAfterMs?: number | undefined;
}

export function planJob(job: Job, pods: Pod[], now: Date, backoff: BackoffPolicy): JobPlan {
  const spec = job.spec ?? {};
  const status: JobStatusView = { ...job.status };
  const nowText = kubeTime(now);
  let conditions: Condition[] = status.conditions ?? [];
  const active = pods.filter(isPodActive);
  let wakeAfterMs: number | undefined;

  if (spec.suspend) {
    conditions = withCondition(conditions, 'Suspended', 'True', reasons.suspended, nowText);
  } else if (isTrue(conditions, 'Suspended')) {
    // Resuming restarts the clock of activeDeadlineSeconds.
    conditions = withCondition(conditions, 'Suspended', 'False', reasons.resumed, nowText);
    status.startTime = nowText;
  }
  if (!spec.suspend && !status.startTime) status.startTime = nowText;

  if (!terminalFor(conditions)) {
    const target = failureOrSuccess(job, status, active, now);
    if (target.wakeAfterMs !== undefined) wakeAfterMs = target.wakeAfterMs;
    if (target.condition)
      conditions = withCondition(conditions, target.condition.type, 'True', target.condition.why, nowText);
  }
  status.conditions = conditions;
  if (terminalFor(conditions) || spec.suspend) {
    return { status, deletePods: active.map((p) => p.metadata.name!), create: [] };
  }
  const manage =
    spec.completionMode === 'Indexed'
      ? manageIndexed(job, status, active)
      : manageNonIndexed(job, status, active);
  if (manage.create.length > 0) {
    let creatable = manage.create;
    if (spec.podReplacementPolicy === 'Failed') {
      const terminating = pods.filter((p) => p.metadata.deletionTimestamp && !isPodTerminal(p)).length;
      creatable = creatable.slice(0, Math.max(0, creatable.length - terminating));
    }
    const wait = remainingBackoffMs(pods, backoff, now);
    if (wait > 0) {
      wakeAfterMs = Math.min(wakeAfterMs ?? wait, wait);
      creatable = [];
    }
    manage.create = creatable;
  }
  return { status, ...manage, wakeAfterMs };
}

type Target = {
  condition?: { type: 'FailureTarget' | 'SuccessCriteriaMet'; why: { reason: string; message: string } };
  wakeAfterMs?: number;
};

function failureOrSuccess(job: Job, status: JobStatusView, active: Pod[], now: Date): Target {
  const spec = job.spec ?? {};
  if ((status.failed ?? 0) > (spec.backoffLimit ?? 6)) {
    return { condition: { type: 'FailureTarget', why: reasons.backoffLimitExceeded } };
  }
  let wakeAfterMs: number | undefined;
  if (spec.activeDeadlineSeconds !== undefined && status.startTime && !spec.suspend) {
    const left = Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - now.getTime();
    if (left <= 0) return { condition: { type: 'FailureTarget', why: reasons.deadlineExceeded } };
    wakeAfterMs = left;
  }
  const completions = spec.completions ?? undefined;
  const succeeded =
    spec.completionMode === 'Indexed'
      ? parseIndexes(status.completedIndexes).length
      : (status.succeeded ?? 0);
  const done = completions === undefined ? succeeded > 0 && active.length === 0 : succeeded >= completions;
  if (done) return { condition: { type: 'SuccessCriteriaMet', why: reasons.completionsReached } };
  return wakeAfterMs === undefined ? {} : { wakeAfterMs };
}

/** Which active pods go first when there are too many: not ready, then the newest. */
function byDeletionPreference(a: Pod, b: Pod): number {
  const ready = Number(isPodReady(a)) - Number(isPodReady(b));
  if (ready !== 0) return ready;
  return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}

type Manage = { deletePods: string[]; create: (number | undefined)[] };

function manageNonIndexed(job: Job, status: JobStatusView, active: Pod[]): Manage {
  const spec = job.spec ?? {};
  const parallelism = spec.parallelism ?? 1;
  const succeeded = status.succeeded ?? 0;
  const completions = spec.completions ?? undefined;
  // A work-queue Job (no completions) starts nothing new once one pod has succeeded.
  let want: number;
  if (completions !== undefined) want = Math.max(0, Math.min(parallelism, completions - succeeded));
  else want = succeeded > 0 ? active.length : parallelism;
  if (active.length > want) {
    const excess = [...active].sort(byDeletionPreference).slice(0, active.length - want);
    return { deletePods: excess.map((p) => p.metadata.name!), create: [] };
  }
  return { deletePods: [], create: Array.from({ length: want - active.length }, () => undefined) };
}

function manageIndexed(job: Job, status: JobStatusView, active: Pod[]): Manage {
  const spec = job.spec ?? {};
  const completions = spec.completions ?? 0;
  const completed = new Set(parseIndexes(status.completedIndexes));
  const deletePods: string[] = [];
  const running = new Map<number, Pod>();
  for (const pod of [...active].sort((a, b) => byDeletionPreference(b, a))) {
    const index = completionIndex(pod);
    // Pods without a valid index, for a finished index, or duplicating another are surplus.
    if (index === undefined || index >= completions || completed.has(index) || running.has(index)) {
      deletePods.push(pod.metadata.name!);
    } else {
      running.set(index, pod);
    }
  }
  const want = Math.max(0, Math.min(spec.parallelism ?? 1, completions - completed.size));
  if (running.size > want) {
    const surplus = [...running.keys()].sort((a, b) => b - a).slice(0, running.size - want);
    for (const index of surplus) deletePods.push(running.get(index)!.metadata.name!);
    return { deletePods, create: [] };
  }
  const create: number[] = [];
  for (let index = 0; index < completions && create.length < want - running.size; index++) {
    if (!completed.has(index) && !running.has(index)) create.push(index);
  }
  return { deletePods, create };
}
