// StatefulSet rules (kube's ValidateStatefulSetSpec and ValidateStatefulSetUpdate, apps/v1).
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { jsonEqual } from './deep-equal.js';
import { checkNonNegative } from './field-errors.js';
import {
  isRecord,
  type JsonRecord,
  readInteger,
  readRecord,
  readRecords,
  readString,
} from './field-readers.js';
import {
  intOrPercentValue,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from './int-or-percent.js';
import { isDNS1123Label } from './name-formats.js';
import { validateClaimSpec } from './persistent-volume-claim.js';
import { validatePodTemplateSpec, validateSelectorForTemplate } from './pod-template.js';

const retentionPolicies = ['Retain', 'Delete'];

/** The spec fields an update may change; any other change is refused as kube does. */
const mutableFields = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  const policy = readString(errs, spec.podManagementPolicy, 'spec.podManagementPolicy');
  if (policy !== undefined && policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(invalidValue('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  errs.push(...validateUpdateStrategy(spec.updateStrategy));
  errs.push(...validateRetention(spec.persistentVolumeClaimRetentionPolicy));
  for (const field of ['replicas', 'minReadySeconds', 'revisionHistoryLimit']) {
    checkNonNegative(errs, readInteger(errs, spec[field], `spec.${field}`), `spec.${field}`);
  }
  const ordinals = readRecord(errs, spec.ordinals, 'spec.ordinals');
  if (ordinals)
    checkNonNegative(errs, readInteger(errs, ordinals.start, 'spec.ordinals.start'), 'spec.ordinals.start');
  const serviceName = readString(errs, spec.serviceName, 'spec.serviceName');
  if (serviceName) {
    errs.push(...isDNS1123Label(serviceName).map((m) => invalidValue('spec.serviceName', serviceName, m)));
  }
  errs.push(...validateSelectorForTemplate(spec, 'spec', 'statefulset'));
  const claimNames: string[] = [];
  for (const [claim, path] of readRecords(errs, spec.volumeClaimTemplates, 'spec.volumeClaimTemplates')) {
    const meta = isRecord(claim.metadata) ? claim.metadata : {};
    const name = readString(errs, meta.name, `${path}.metadata.name`);
    if (!name) errs.push(required(`${path}.metadata.name`));
    else {
      errs.push(...isDNS1123Label(name).map((m) => invalidValue(`${path}.metadata.name`, name, m)));
      claimNames.push(name);
    }
    errs.push(...validateClaimSpec(claim.spec, `${path}.spec`));
  }
  errs.push(
    ...validatePodTemplateSpec(withClaimVolumes(spec.template, claimNames), 'spec.template', {
      restartPolicies: ['Always'],
      noDeadlineFor: 'StatefulSet',
    }),
  );
  if (old) errs.push(...validateStatefulSetUpdate(spec, isRecord(old.spec) ? old.spec : {}));
  return errs;
}

/**
 * The template as its pods will be: each claim template mounted as a volume of its name, so
 * containers may mount them (unless the template already declares a volume of that name).
 */
function withClaimVolumes(template: unknown, claimNames: string[]): unknown {
  if (!isRecord(template) || !isRecord(template.spec) || claimNames.length === 0) return template;
  const volumes = Array.isArray(template.spec.volumes) ? template.spec.volumes : [];
  const declared = new Set(volumes.map((v) => (isRecord(v) ? v.name : undefined)));
  const added = claimNames
    .filter((name) => !declared.has(name))
    .map((name) => ({ name, persistentVolumeClaim: { claimName: name } }));
  return { ...template, spec: { ...template.spec, volumes: [...volumes, ...added] } };
}

function validateUpdateStrategy(value: unknown): FieldError[] {
  const path = 'spec.updateStrategy';
  const errs: FieldError[] = [];
  const strategy = readRecord(errs, value, path);
  if (!strategy) return errs;
  const type = readString(errs, strategy.type, `${path}.type`);
  if (type !== 'RollingUpdate' && type !== 'OnDelete') {
    return [...errs, invalidValue(path, strategy, "must be 'RollingUpdate' or 'OnDelete'")];
  }
  const rolling = readRecord(errs, strategy.rollingUpdate, `${path}.rollingUpdate`);
  if (!rolling) return errs;
  if (type === 'OnDelete') {
    return [
      ...errs,
      invalidValue(`${path}.rollingUpdate`, rolling, "only allowed for updateStrategy 'RollingUpdate'"),
    ];
  }
  const partitionPath = `${path}.rollingUpdate.partition`;
  checkNonNegative(errs, readInteger(errs, rolling.partition, partitionPath), partitionPath);
  if (rolling.maxUnavailable !== undefined && rolling.maxUnavailable !== null) {
    const unavailablePath = `${path}.rollingUpdate.maxUnavailable`;
    errs.push(...validatePositiveIntOrPercent(rolling.maxUnavailable, unavailablePath));
    errs.push(...validateNotMoreThan100Percent(rolling.maxUnavailable, unavailablePath));
    if (intOrPercentValue(rolling.maxUnavailable) === 0) {
      errs.push(invalidValue(unavailablePath, rolling.maxUnavailable, 'must be greater than 0'));
    }
  }
  return errs;
}

function validateRetention(value: unknown): FieldError[] {
  const path = 'spec.persistentVolumeClaimRetentionPolicy';
  const errs: FieldError[] = [];
  const retention = readRecord(errs, value, path);
  for (const field of ['whenDeleted', 'whenScaled']) {
    const chosen = readString(errs, retention?.[field], `${path}.${field}`);
    if (chosen !== undefined && !retentionPolicies.includes(chosen)) {
      errs.push(notSupported(`${path}.${field}`, chosen, retentionPolicies));
    }
  }
  return errs;
}

function validateStatefulSetUpdate(spec: JsonRecord, old: JsonRecord): FieldError[] {
  const errs: FieldError[] = [];
  const fixed = (s: JsonRecord) =>
    Object.fromEntries(Object.entries(s).filter(([key]) => !mutableFields.includes(key)));
  if (!jsonEqual(fixed(spec), fixed(old))) {
    errs.push(
      forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', " +
          "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and " +
          "'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
}
