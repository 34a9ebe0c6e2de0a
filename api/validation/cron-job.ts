// CronJob rules (ValidateCronJobCreate / ValidateCronJobUpdate, batch/v1).

import { type FieldError, invalidValue, notSupported, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { cronScheduleError } from './cron-schedule.js';
import { checkNonNegative } from './field-errors.js';
import { isRecord, type JsonRecord, readInteger, readRecord, readString } from './field-readers.js';
import { validateJobSpec } from './job.js';
import { validateAnnotations, validateLabels } from './labels.js';

const concurrencyPolicies = ['Allow', 'Forbid', 'Replace'];

/** Job names are `<cronjob>-<11 chars>` and must fit a 63-character label value. */
export const maxCronJobNameLength = 52;

export function validateCronJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  if (name.length > maxCronJobNameLength) {
    errs.push(invalidValue('metadata.name', name, `must be no more than ${maxCronJobNameLength} characters`));
  }
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  const oldSpec = old && isRecord(old.spec) ? old.spec : undefined;
  errs.push(...validateSchedule(spec, oldSpec));
  checkNonNegative(
    errs,
    readInteger(errs, spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'),
    'spec.startingDeadlineSeconds',
  );
  const timeZone = readString(errs, spec.timeZone, 'spec.timeZone');
  // Zones dropped from a newer tz database must not make existing objects unupdatable.
  if (timeZone !== undefined && (!oldSpec || oldSpec.timeZone !== timeZone))
    errs.push(...validateTimeZone(timeZone));
  const policy = readString(errs, spec.concurrencyPolicy, 'spec.concurrencyPolicy');
  if (policy !== undefined && !concurrencyPolicies.includes(policy)) {
    errs.push(notSupported('spec.concurrencyPolicy', policy, concurrencyPolicies));
  }
  for (const key of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    checkNonNegative(errs, readInteger(errs, spec[key], `spec.${key}`), `spec.${key}`);
  }
  errs.push(...validateJobTemplate(spec.jobTemplate, 'spec.jobTemplate'));
  return errs;
}

function validateSchedule(spec: JsonRecord, oldSpec: JsonRecord | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = readString(errs, spec.schedule, 'spec.schedule');
  if (!schedule) return [...errs, required('spec.schedule')];
  const problem = cronScheduleError(schedule);
  if (problem) errs.push(invalidValue('spec.schedule', schedule, problem));
  // TZ in the schedule is only tolerated on objects that already had it (kube 1.27+).
  const tzAllowed = typeof oldSpec?.schedule === 'string' && oldSpec.schedule.includes('TZ');
  if (schedule.includes('TZ')) {
    if (!tzAllowed) {
      errs.push(
        invalidValue(
          'spec.schedule',
          schedule,
          'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
        ),
      );
    } else if (spec.timeZone !== undefined && spec.timeZone !== null) {
      errs.push(
        invalidValue(
          'spec.schedule',
          schedule,
          'cannot use both timeZone field and TZ or CRON_TZ in schedule',
        ),
      );
    }
  }
  return errs;
}

let knownZones: Set<string> | undefined;

function isKnownTimeZone(zone: string): boolean {
  knownZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (knownZones.has(zone)) return true;
  // supportedValuesOf lists canonical zones only; aliases such as UTC or US/Eastern are still
  // valid IANA names, and the ICU constructor knows them.
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function validateTimeZone(zone: string): FieldError[] {
  const path = 'spec.timeZone';
  if (zone === '') return [invalidValue(path, zone, 'timeZone must be nil or non-empty string')];
  const badPart = zone
    .split('/')
    .some((p) => p === '.' || p === '..' || p.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(p));
  if (badPart) return [invalidValue(path, zone, `unknown time zone ${zone}`)];
  if (zone.toLowerCase() === 'local') {
    return [
      invalidValue(
        path,
        zone,
        'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
      ),
    ];
  }
  return isKnownTimeZone(zone) ? [] : [invalidValue(path, zone, `unknown time zone ${zone}`)];
}

/** The controller generates each Job's selector, so the template may not carry one. */
function validateJobTemplate(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const template = readRecord(errs, value, path) ?? {};
  const metadata = readRecord(errs, template.metadata, `${path}.metadata`) ?? {};
  errs.push(...validateLabels(metadata.labels, `${path}.metadata.labels`));
  errs.push(...validateAnnotations(metadata.annotations, `${path}.metadata.annotations`));
  const spec = readRecord(errs, template.spec, `${path}.spec`) ?? {};
  errs.push(...validateJobSpec(spec, `${path}.spec`));
  if (spec.selector !== undefined && spec.selector !== null) {
    errs.push(invalidValue(`${path}.spec.selector`, spec.selector, '`selector` will be auto-generated'));
  }
  if (spec.manualSelector === true) {
    errs.push(notSupported(`${path}.spec.manualSelector`, true, ['nil', 'false']));
  }
  return errs;
}
