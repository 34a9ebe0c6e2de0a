// The Job a CronJob starts for one schedule time (kube's getJobFromTemplate2): named
// `<cronjob>-<scheduled unix time in minutes>` so the same time can never start twice,
// annotated with the scheduled time in the CronJob's zone, owned by the CronJob.
import type { KubeObject } from '../../../api/types.js';
import { newControllerRef } from '../objects/controller-ref.js';
import { annotations } from '../objects/well-known.js';
import type { CronJob } from './cronjob-plan.js';
import { rfc3339In } from './zoned-time.js';

export function scheduledJobName(cronJobName: string, scheduled: Date): string {
  return `${cronJobName}-${Math.floor(scheduled.getTime() / 60_000)}`;
}

export function newScheduledJob(cj: CronJob, scheduled: Date, timeZone: string): KubeObject {
  const template = cj.spec?.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: scheduledJobName(cj.metadata.name ?? '', scheduled),
      namespace: cj.metadata.namespace,
      labels: { ...template.metadata?.labels },
      annotations: {
        ...template.metadata?.annotations,
        [annotations.cronJobScheduledTimestamp]: rfc3339In(scheduled.getTime(), timeZone),
      },
      ownerReferences: [newControllerRef(cj)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}
