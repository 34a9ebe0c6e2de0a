// batch/v1 Job and CronJob. Job status conditions merge by type.
import {
  apiSchemaName,
  bool,
  coreName,
  int32,
  int64,
  kindSchema,
  listKindSchema,
  listOf,
  mergeList,
  metaName,
  object,
  openObject,
  ref,
  type SchemaTable,
  str,
  time,
} from './schema-builders.js';

const gvk = (kind: string) => ({ group: 'batch', version: 'v1', kind });
const batchName = (kind: string) => apiSchemaName('batch', 'v1', kind);

const jobSpec = object(
  {
    activeDeadlineSeconds: int64(),
    backoffLimit: int32('Number of retries before marking this job failed. Defaults to 6.'),
    backoffLimitPerIndex: int32('For an Indexed Job: retries allowed per index.'),
    completionMode: str('NonIndexed or Indexed.'),
    completions: int32('The desired number of successfully finished pods the job should be run with.'),
    managedBy: str('The controller that manages the Job; empty: the built-in Job controller.'),
    manualSelector: bool('Use the selector as written instead of the one generated from the Job uid.'),
    maxFailedIndexes: int32('For an Indexed Job: failed indexes after which the whole Job fails.'),
    parallelism: int32('The maximum desired number of pods the job should run at any given time.'),
    podFailurePolicy: object(
      { rules: listOf(openObject('A pod failure policy rule.')) },
      { required: ['rules'] },
    ),
    podReplacementPolicy: str(),
    selector: ref(metaName('LabelSelector'), 'A label query over pods that should match the pod count.'),
    successPolicy: object(
      { rules: listOf(object({ succeededCount: int32(), succeededIndexes: str() })) },
      { required: ['rules'] },
    ),
    suspend: bool('While true no new pods (or Jobs) are started.'),
    template: ref(
      coreName('PodTemplateSpec'),
      'Describes the pod that will be created when executing a job.',
    ),
    ttlSecondsAfterFinished: int32('Seconds after the Job finished before it is deleted, with its pods.'),
  },
  { required: ['template'] },
);

const jobStatus = object({
  active: int32(),
  completedIndexes: str(),
  completionTime: time(),
  conditions: mergeList(ref(batchName('JobCondition')), 'type', {
    description: "The latest available observations of an object's current state.",
  }),
  failed: int32(),
  failedIndexes: str(),
  ready: int32(),
  startTime: time(),
  succeeded: int32(),
  terminating: int32(),
  uncountedTerminatedPods: object({ failed: listOf(str()), succeeded: listOf(str()) }),
});

export const batchSchemas: SchemaTable = {
  [batchName('Job')]: kindSchema(
    gvk('Job'),
    { spec: ref(batchName('JobSpec')), status: ref(batchName('JobStatus')) },
    'Job represents the configuration of a single job.',
  ),
  [batchName('JobList')]: listKindSchema(gvk('Job')),
  [batchName('JobSpec')]: jobSpec,
  [batchName('JobStatus')]: jobStatus,
  [batchName('JobCondition')]: object(
    {
      lastProbeTime: time(),
      lastTransitionTime: time(),
      message: str(),
      reason: str(),
      status: str(),
      type: str(),
    },
    { required: ['type', 'status'] },
  ),
  [batchName('JobTemplateSpec')]: object({
    metadata: ref(metaName('ObjectMeta')),
    spec: ref(batchName('JobSpec'), 'Specification of the desired behavior of the job.'),
  }),
  [batchName('CronJob')]: kindSchema(
    gvk('CronJob'),
    {
      spec: ref(batchName('CronJobSpec')),
      status: object({
        active: listOf(ref(coreName('ObjectReference')), 'A list of pointers to currently running jobs.'),
        lastScheduleTime: time(),
        lastSuccessfulTime: time(),
      }),
    },
    'CronJob represents the configuration of a single cron job.',
  ),
  [batchName('CronJobList')]: listKindSchema(gvk('CronJob')),
  [batchName('CronJobSpec')]: object(
    {
      concurrencyPolicy: str('Allow, Forbid or Replace.'),
      failedJobsHistoryLimit: int32('Failed Jobs kept (default 1).'),
      jobTemplate: ref(
        batchName('JobTemplateSpec'),
        'Specifies the job that will be created when executing a CronJob.',
      ),
      schedule: str('The schedule in Cron format.'),
      startingDeadlineSeconds: int64(
        'Seconds after a missed start time in which the Job may still be started.',
      ),
      successfulJobsHistoryLimit: int32('Successful Jobs kept (default 3).'),
      suspend: bool('While true no new pods (or Jobs) are started.'),
      timeZone: str(
        "IANA time zone of the schedule, such as Europe/Berlin; the hub's local time when empty.",
      ),
    },
    { required: ['schedule', 'jobTemplate'] },
  ),
};
