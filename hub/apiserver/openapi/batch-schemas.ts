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
    backoffLimitPerIndex: int32(),
    completionMode: str('NonIndexed or Indexed.'),
    completions: int32('The desired number of successfully finished pods the job should be run with.'),
    managedBy: str(),
    manualSelector: bool(),
    maxFailedIndexes: int32(),
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
    suspend: bool(),
    template: ref(
      coreName('PodTemplateSpec'),
      'Describes the pod that will be created when executing a job.',
    ),
    ttlSecondsAfterFinished: int32(),
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
      failedJobsHistoryLimit: int32(),
      jobTemplate: ref(
        batchName('JobTemplateSpec'),
        'Specifies the job that will be created when executing a CronJob.',
      ),
      schedule: str('The schedule in Cron format.'),
      startingDeadlineSeconds: int64(),
      successfulJobsHistoryLimit: int32(),
      suspend: bool(),
      timeZone: str(),
    },
    { required: ['schedule', 'jobTemplate'] },
  ),
};
