// Job rules (ValidateJob / ValidateJobUpdate, batch/v1). The job spec part is shared with the
// CronJob's jobTemplate.

import { type FieldError, invalidValue, notSupported } from '../errors.js';
import type { KubeObject } from '../types.js';
import { jsonEqual } from './deep-equal.js';
import { checkNonNegative, immutable, requiredBecause } from './field-errors.js';
import {
  isRecord,
  type JsonRecord,
  readBoolean,
  readInteger,
  readRecord,
  readString,
} from './field-readers.js';
import { validatePodTemplateSpec, validateSelectorForTemplate } from './pod-template.js';

const completionModes = ['NonIndexed', 'Indexed'];
export const controllerUidLabel = 'batch.kubernetes.io/controller-uid';
export const legacyControllerUidLabel = 'controller-uid';
export const jobNameLabel = 'batch.kubernetes.io/job-name';
export const legacyJobNameLabel = 'job-name';

/** Spec rules common to a Job and a CronJob's jobTemplate (no selector rules). */
export function validateJobSpec(spec: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const int = (key: string) => readInteger(errs, spec[key], `${path}.${key}`);
  for (const key of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
  ]) {
    checkNonNegative(errs, int(key), `${path}.${key}`);
  }
  readBoolean(errs, spec.suspend, `${path}.suspend`);
  const mode = readString(errs, spec.completionMode, `${path}.completionMode`);
  if (mode !== undefined && !completionModes.includes(mode)) {
    errs.push(notSupported(`${path}.completionMode`, mode, completionModes));
  }
  // An Indexed job hands out indexes 0..completions-1, so it needs a count.
  if (mode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    errs.push(requiredBecause(`${path}.completions`, 'when completion mode is Indexed'));
  }
  errs.push(
    ...validatePodTemplateSpec(spec.template, `${path}.template`, {
      restartPolicies: ['OnFailure', 'Never'],
    }),
  );
  return errs;
}

export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  errs.push(...validateJobSpec(spec, 'spec'));
  errs.push(...validateSelectorForTemplate(spec, 'spec', 'job'));
  errs.push(...validateGeneratedSelector(obj, spec));
  if (old) errs.push(...validateJobUpdate(spec, isRecord(old.spec) ? old.spec : {}));
  return errs;
}

/**
 * Unless the user asked for a manual selector, the server generated the selector and the
 * template labels from the job's uid; make sure nobody overrode them with other values.
 */
function validateGeneratedSelector(obj: KubeObject, spec: JsonRecord): FieldError[] {
  if (spec.manualSelector === true) return [];
  const template = isRecord(spec.template) ? spec.template : {};
  const metadata = isRecord(template.metadata) ? template.metadata : {};
  const uid = obj.metadata.uid ?? '';
  // Without a uid the server has not generated anything yet, so there is nothing to check.
  if (!isRecord(metadata.labels) || !uid) return [];
  const name = obj.metadata.name ?? '';
  const errs: FieldError[] = [];
  const expected: Array<[string, string]> = [
    [legacyControllerUidLabel, uid],
    [legacyJobNameLabel, name],
    [controllerUidLabel, uid],
    [jobNameLabel, name],
  ];
  for (const [label, want] of expected) {
    const path = `spec.template.metadata.labels[${label}]`;
    const have = metadata.labels[label];
    if (have === undefined) errs.push(requiredBecause(path, `must be '${want}'`));
    else if (have !== want) errs.push(invalidValue(path, metadata.labels, `must be '${want}'`));
  }
  const selector = isRecord(spec.selector) ? spec.selector : {};
  const matchLabels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  if (matchLabels[controllerUidLabel] !== uid) {
    errs.push(invalidValue('spec.selector', spec.selector ?? null, '`selector` not auto-generated'));
  }
  return errs;
}

/** A started job's pods must all come from one template; only the count knobs may move. */
function validateJobUpdate(spec: JsonRecord, oldSpec: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['selector', 'template', 'completions', 'completionMode', 'podFailurePolicy']) {
    if (!jsonEqual(spec[key], oldSpec[key])) errs.push(immutable(`spec.${key}`, spec[key]));
  }
  return errs;
}
