// ReplicaSet rules (ValidateReplicaSetSpec / ValidateReplicaSetUpdate, apps/v1).

import type { FieldError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { checkNonNegative } from './field-errors.js';
import { readInteger, readRecord } from './field-readers.js';
import {
  validatePodTemplateSpec,
  validateSelectorForTemplate,
  validateSelectorUnchanged,
} from './pod-template.js';

export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  checkNonNegative(errs, readInteger(errs, spec.replicas, 'spec.replicas'), 'spec.replicas');
  checkNonNegative(
    errs,
    readInteger(errs, spec.minReadySeconds, 'spec.minReadySeconds'),
    'spec.minReadySeconds',
  );
  // kube says "deployment" here too; the wording is kept so messages match kube-apiserver.
  errs.push(...validateSelectorForTemplate(spec, 'spec', 'deployment'));
  errs.push(
    ...validatePodTemplateSpec(spec.template, 'spec.template', {
      restartPolicies: ['Always'],
      noDeadlineFor: 'ReplicaSet',
    }),
  );
  if (old) errs.push(...validateSelectorUnchanged(spec, old.spec, 'spec'));
  return errs;
}
