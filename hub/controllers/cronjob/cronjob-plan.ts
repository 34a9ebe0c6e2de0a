// The CronJob planner, pure (kube's syncCronJob): tidy status.active, decide whether a Job is
// due and what the concurrency policy lets happen, and which finished Jobs fall out of the
// history limits.

import type { KubeObject } from '../../../api/types.js';
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import type { Condition } from '../objects/kinds.js';
import { parseCronExpression } from './cron-expression.js';
import { newScheduledJob } from './cronjob-job.js';
import { scheduleTimes } from './missed-runs.js';

export interface JobRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface CronJobStatus {
  active?: JobRef[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

export type CronJob = KubeObject & {
  spec?: {
    schedule?: string;
    timeZone?: string;
    startingDeadlineSeconds?: number;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
    suspend?: boolean;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    jobTemplate?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: unknown;
    };
  };
  status?: CronJobStatus;
};

type JobObject = KubeObject & {
  status?: { conditions?: Condition[]; completionTime?: string; startTime?: string };
};

export interface CronJobPlan {
  status: CronJobStatus;
  /** Jobs to delete: running ones replaced (Replace policy) and finished ones past the history limits. */
  deleteJobs: string[];
  start?: { scheduledTime: Date; job: KubeObject };
  wakeAt?: Date;
  warnings: string[];
}

export function jobFinish(job: JobObject): 'Complete' | 'Failed' | undefined {
  const done = job.status?.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
  return done?.type as 'Complete' | 'Failed' | undefined;
}

export function jobRef(job: KubeObject): JobRef {
  const { name = '', namespace, uid, resourceVersion } = job.metadata;
  return { apiVersion: 'batch/v1', kind: 'Job', name, namespace, uid, resourceVersion };
}

export function planCronJob(cj: CronJob, jobs: JobObject[], now: Date, localZone: string): CronJobPlan {
  const spec = cj.spec ?? {};
  const status: CronJobStatus = { ...cj.status };
  const warnings: string[] = [];
  const running = jobs.filter((j) => !jobFinish(j));
  // Refs already listed stay as written (their resourceVersion is the one at creation).
  status.active = running.map((j) => cj.status?.active?.find((r) => r.uid === j.metadata.uid) ?? jobRef(j));
  for (const job of jobs) {
    const completed = jobFinish(job) === 'Complete' ? job.status?.completionTime : undefined;
    if (completed && (!status.lastSuccessfulTime || completed > status.lastSuccessfulTime))
      status.lastSuccessfulTime = completed;
  }
  const deleteJobs = historyOverflow(jobs, spec.successfulJobsHistoryLimit ?? 3, 'Complete');
  deleteJobs.push(...historyOverflow(jobs, spec.failedJobsHistoryLimit ?? 1, 'Failed'));
  const plan: CronJobPlan = { status, deleteJobs, warnings };
  if (cj.metadata.deletionTimestamp || spec.suspend) return plan;

  const zone = spec.timeZone ?? localZone;
  let expression: ReturnType<typeof parseCronExpression>;
  try {
    expression = parseCronExpression(spec.schedule ?? '', zone);
  } catch (err) {
    warnings.push(`unparseable schedule or time zone ${JSON.stringify(zone)}: ${(err as Error).message}`);
    return plan;
  }
  const lastHandled = new Date(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? now.toISOString());
  const times = scheduleTimes(expression, lastHandled, now, spec.startingDeadlineSeconds);
  if (times.next) plan.wakeAt = times.next;
  if (times.due > 100) {
    warnings.push(
      `too many missed start times: ${times.due}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
    );
  }
  const scheduled = times.mostRecent;
  if (!scheduled) return plan;
  if (
    spec.startingDeadlineSeconds !== undefined &&
    scheduled.getTime() + spec.startingDeadlineSeconds * 1000 < now.getTime()
  ) {
    warnings.push(`missed starting window for ${kubeTime(scheduled)}`);
    return plan;
  }
  const job = newScheduledJob(cj, scheduled, zone);
  if (jobs.some((j) => j.metadata.name === job.metadata.name)) {
    // Started before the status said so (a write lost to a crash): only the record is missing.
    status.lastScheduleTime = kubeTime(scheduled);
    return plan;
  }
  if (running.length > 0 && spec.concurrencyPolicy === 'Forbid') {
    // The time stays unmet, so the Job starts late once the running one ends (if still in time).
    warnings.push(
      `not starting the job for ${kubeTime(scheduled)}: the previous one still runs and concurrencyPolicy is Forbid`,
    );
    return plan;
  }
  if (spec.concurrencyPolicy === 'Replace') {
    plan.deleteJobs.push(...running.map((j) => j.metadata.name!));
    status.active = [];
  }
  plan.start = { scheduledTime: scheduled, job };
  return plan;
}

/** The oldest finished Jobs of one outcome beyond `limit`. */
function historyOverflow(jobs: JobObject[], limit: number, outcome: 'Complete' | 'Failed'): string[] {
  const finished = jobs
    .filter((j) => jobFinish(j) === outcome)
    .sort((a, b) => startOf(a).localeCompare(startOf(b)));
  return finished.slice(0, Math.max(0, finished.length - limit)).map((j) => j.metadata.name!);
}

const startOf = (job: JobObject) => job.status?.startTime ?? job.metadata.creationTimestamp ?? '';
