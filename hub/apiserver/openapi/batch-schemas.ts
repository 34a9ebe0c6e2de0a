// batch/v1 Job and CronJob. Job status conditions merge by type.
import { pointer } from './protobuf-fields.js';
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
  ref,
  type SchemaTable,
  str,
  time,
} from './schema-builders.js';

const gvk = (kind: string) => ({ group: 'batch', version: 'v1', kind });
const batchName = (kind: string) => apiSchemaName('batch', 'v1', kind);

const podFailurePolicyRule = object(
  {
    action: str('FailJob, FailIndex, Ignore or Count.'),
    onExitCodes: object(
      { containerName: str(), operator: str('In or NotIn.'), values: listOf(int32()) },
      { required: ['operator', 'values'], protobuf: { containerName: pointer(1), operator: 2, values: 3 } },
    ),
    onPodConditions: listOf(
      object({ status: str(), type: str() }, { required: ['type'], protobuf: { type: 1, status: 2 } }),
    ),
  },
  {
    required: ['action'],
    description: 'A pod failure policy rule.',
    protobuf: { action: 1, onExitCodes: pointer(2), onPodConditions: 3 },
  },
);

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
      { rules: listOf(podFailurePolicyRule) },
      { required: ['rules'], protobuf: { rules: 1 } },
    ),
    podReplacementPolicy: str(),
    selector: ref(metaName('LabelSelector'), 'A label query over pods that should match the pod count.'),
    successPolicy: object(
      {
        rules: listOf(
          object(
            { succeededCount: int32(), succeededIndexes: str() },
            { protobuf: { succeededIndexes: pointer(1), succeededCount: pointer(2) } },
          ),
        ),
      },
      { required: ['rules'], protobuf: { rules: 1 } },
    ),
    suspend: bool('While true no new pods (or Jobs) are started.'),
    template: ref(
      coreName('PodTemplateSpec'),
      'Describes the pod that will be created when executing a job.',
    ),
    ttlSecondsAfterFinished: int32('Seconds after the Job finished before it is deleted, with its pods.'),
  },
  {
    required: ['template'],
    protobuf: {
      parallelism: pointer(1),
      completions: pointer(2),
      activeDeadlineSeconds: pointer(3),
      selector: pointer(4),
      manualSelector: pointer(5),
      template: 6,
      backoffLimit: pointer(7),
      ttlSecondsAfterFinished: pointer(8),
      completionMode: pointer(9),
      suspend: pointer(10),
      podFailurePolicy: pointer(11),
      backoffLimitPerIndex: pointer(12),
      maxFailedIndexes: pointer(13),
      podReplacementPolicy: pointer(14),
      managedBy: pointer(15),
      successPolicy: pointer(16),
    },
  },
);

const jobStatus = object(
  {
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
    uncountedTerminatedPods: object(
      { failed: listOf(str()), succeeded: listOf(str()) },
      { protobuf: { succeeded: 1, failed: 2 } },
    ),
  },
  {
    protobuf: {
      conditions: 1,
      startTime: pointer(2),
      completionTime: pointer(3),
      active: 4,
      succeeded: 5,
      failed: 6,
      completedIndexes: 7,
      uncountedTerminatedPods: pointer(8),
      ready: pointer(9),
      failedIndexes: pointer(10),
      terminating: pointer(11),
    },
  },
);

export const batchSchemas: SchemaTable = {
  [batchName('Job')]: kindSchema(
    gvk('Job'),
    { spec: ref(batchName('JobSpec')), status: ref(batchName('JobStatus')) },
    'Job represents the configuration of a single job.',
    { spec: 2, status: 3 },
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
    {
      required: ['type', 'status'],
      protobuf: { type: 1, status: 2, lastProbeTime: 3, lastTransitionTime: 4, reason: 5, message: 6 },
    },
  ),
  [batchName('JobTemplateSpec')]: object(
    {
      metadata: ref(metaName('ObjectMeta')),
      spec: ref(batchName('JobSpec'), 'Specification of the desired behavior of the job.'),
    },
    { protobuf: { metadata: 1, spec: 2 } },
  ),
  [batchName('CronJob')]: kindSchema(
    gvk('CronJob'),
    {
      spec: ref(batchName('CronJobSpec')),
      status: object(
        {
          active: listOf(ref(coreName('ObjectReference')), 'A list of pointers to currently running jobs.'),
          lastScheduleTime: time(),
          lastSuccessfulTime: time(),
        },
        { protobuf: { active: 1, lastScheduleTime: pointer(4), lastSuccessfulTime: pointer(5) } },
      ),
    },
    'CronJob represents the configuration of a single cron job.',
    { spec: 2, status: 3 },
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
    {
      required: ['schedule', 'jobTemplate'],
      protobuf: {
        schedule: 1,
        startingDeadlineSeconds: pointer(2),
        concurrencyPolicy: 3,
        suspend: pointer(4),
        jobTemplate: 5,
        successfulJobsHistoryLimit: pointer(6),
        failedJobsHistoryLimit: pointer(7),
        timeZone: pointer(8),
      },
    },
  ),
};
