// ReplicationController rules (kube's ValidateReplicationControllerSpec). Unlike apps/v1
// workloads its selector is a plain label map, and it may change after creation.
import { type FieldError, invalidValue, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { checkNonNegative } from './field-errors.js';
import { readInteger, readRecord, readStringMap } from './field-readers.js';
import { validateLabels } from './labels.js';
import { templateLabels, validatePodTemplateSpec } from './pod-template.js';

export function validateReplicationController(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  checkNonNegative(errs, readInteger(errs, spec.replicas, 'spec.replicas'), 'spec.replicas');
  checkNonNegative(
    errs,
    readInteger(errs, spec.minReadySeconds, 'spec.minReadySeconds'),
    'spec.minReadySeconds',
  );
  const selector = readStringMap(errs, spec.selector, 'spec.selector') ?? {};
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  if (spec.template === undefined || spec.template === null) {
    errs.push(required('spec.template'));
    return errs;
  }
  const labels = templateLabels(spec);
  if (Object.entries(selector).some(([key, value]) => labels[key] !== value)) {
    errs.push(
      invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
    );
  }
  errs.push(
    ...validatePodTemplateSpec(spec.template, 'spec.template', {
      restartPolicies: ['Always'],
      noDeadlineFor: 'ReplicationController',
    }),
  );
  return errs;
}
