// batch/v1 defaults: kube's SetDefaults_Job and SetDefaults_CronJob, plus the selector the job
// strategy generates on create (generateSelector) so a Job's pods can only ever match it.
import type { KubeObject } from '../types.js';
import { isRecord, type JsonRecord } from '../validation/field-readers.js';
import {
  controllerUidLabel,
  jobNameLabel,
  legacyControllerUidLabel,
  legacyJobNameLabel,
} from '../validation/job.js';
import { defaultString, defaultValue, objectAt } from './set-default.js';
import { defaultTemplate } from './workload-defaults.js';

const defaultBackoffLimit = 6;
const maxInt32 = 2147483647;

export function defaultJob(job: KubeObject): void {
  const spec = objectAt(job, 'spec');
  if (!spec) return;
  // A non-parallel job may leave both unset: it then runs one pod to one completion.
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultValue(spec, 'parallelism', 1);
  defaultValue(spec, 'backoffLimit', spec.backoffLimitPerIndex == null ? defaultBackoffLimit : maxInt32);
  defaultValue(spec, 'completionMode', 'NonIndexed');
  defaultValue(spec, 'suspend', false);
  defaultValue(
    spec,
    'podReplacementPolicy',
    spec.podFailurePolicy == null ? 'TerminatingOrFailed' : 'Failed',
  );
  defaultTemplate(spec);
  if (spec.manualSelector !== true) generateSelector(job, spec);
  // batch/v1 (unlike apps/v1) still copies the template's labels onto an unlabelled Job.
  const template = isRecord(spec.template) ? spec.template : {};
  const templateMeta = isRecord(template.metadata) ? template.metadata : {};
  const hasLabels = job.metadata.labels && Object.keys(job.metadata.labels).length > 0;
  if (isRecord(templateMeta.labels) && !hasLabels)
    job.metadata.labels = { ...(templateMeta.labels as Record<string, string>) };
}

/**
 * Labels the template with the job's uid and name and selects on the uid. Labels the user
 * already set are kept; if they conflict, validation rejects the Job. Without a uid (not yet
 * assigned by the server) nothing is generated.
 */
function generateSelector(job: KubeObject, spec: JsonRecord): void {
  const uid = job.metadata.uid;
  if (!uid) return;
  const name = job.metadata.name ?? '';
  const templateMeta = objectAt(objectAt(spec, 'template') ?? {}, 'metadata');
  const labels = templateMeta && objectAt(templateMeta, 'labels');
  if (!labels) return;
  defaultValue(labels, legacyJobNameLabel, name);
  defaultValue(labels, jobNameLabel, name);
  defaultValue(labels, legacyControllerUidLabel, uid);
  defaultValue(labels, controllerUidLabel, uid);
  const matchLabels = objectAt(objectAt(spec, 'selector') ?? {}, 'matchLabels');
  if (matchLabels) defaultValue(matchLabels, controllerUidLabel, uid);
}

export function defaultCronJob(cronJob: KubeObject): void {
  const spec = objectAt(cronJob, 'spec');
  if (!spec) return;
  defaultString(spec, 'concurrencyPolicy', 'Allow');
  defaultValue(spec, 'suspend', false);
  defaultValue(spec, 'successfulJobsHistoryLimit', 3);
  defaultValue(spec, 'failedJobsHistoryLimit', 1);
  // Only the pod template inside jobTemplate is defaulted; Job-level defaults are applied
  // when the controller creates each Job.
  const jobSpec = objectAt(objectAt(spec, 'jobTemplate') ?? {}, 'spec');
  if (jobSpec) defaultTemplate(jobSpec);
}
