// Deployment rules (ValidateDeploymentSpec / ValidateDeploymentUpdate, apps/v1).

import { type FieldError, forbidden, invalidValue, notSupported } from '../errors.js';
import type { KubeObject } from '../types.js';
import { checkNonNegative, requiredBecause } from './field-errors.js';
import { readInteger, readRecord, readString } from './field-readers.js';
import {
  intOrPercentValue,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from './int-or-percent.js';
import {
  validatePodTemplateSpec,
  validateSelectorForTemplate,
  validateSelectorUnchanged,
} from './pod-template.js';

const strategyTypes = ['Recreate', 'RollingUpdate'];

export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  const int = (key: string) => readInteger(errs, spec[key], `spec.${key}`);
  checkNonNegative(errs, int('replicas'), 'spec.replicas');
  errs.push(...validateSelectorForTemplate(spec, 'spec', 'deployment'));
  errs.push(
    ...validatePodTemplateSpec(spec.template, 'spec.template', {
      restartPolicies: ['Always'],
      noDeadlineFor: 'ReplicaSet',
    }),
  );
  errs.push(...validateStrategy(spec.strategy, 'spec.strategy'));
  const minReady = int('minReadySeconds') ?? 0;
  checkNonNegative(errs, minReady, 'spec.minReadySeconds');
  checkNonNegative(errs, int('revisionHistoryLimit'), 'spec.revisionHistoryLimit');
  const deadline = int('progressDeadlineSeconds');
  if (deadline !== undefined && deadline <= minReady) {
    errs.push(invalidValue('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  if (old) errs.push(...validateSelectorUnchanged(spec, old.spec, 'spec'));
  return errs;
}

function validateStrategy(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const strategy = readRecord(errs, value, path);
  if (!strategy) return errs;
  const type = readString(errs, strategy.type, `${path}.type`);
  const rolling = readRecord(errs, strategy.rollingUpdate, `${path}.rollingUpdate`);
  if (type === 'Recreate') {
    if (rolling)
      errs.push(
        forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"),
      );
  } else if (type === 'RollingUpdate' || type === undefined) {
    if (rolling)
      errs.push(...validateRollingUpdate(rolling.maxUnavailable, rolling.maxSurge, `${path}.rollingUpdate`));
    else if (type)
      errs.push(requiredBecause(`${path}.rollingUpdate`, 'this should be defaulted and never be nil'));
  } else {
    errs.push(notSupported(`${path}.type`, type, strategyTypes));
  }
  return errs;
}

function validateRollingUpdate(maxUnavailable: unknown, maxSurge: unknown, path: string): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(maxUnavailable, `${path}.maxUnavailable`),
    ...validatePositiveIntOrPercent(maxSurge, `${path}.maxSurge`),
  ];
  // With neither surge nor unavailability allowed the rollout could never make progress.
  const bothZero =
    maxUnavailable !== undefined &&
    maxSurge !== undefined &&
    intOrPercentValue(maxUnavailable) === 0 &&
    intOrPercentValue(maxSurge) === 0;
  if (bothZero)
    errs.push(invalidValue(`${path}.maxUnavailable`, maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  errs.push(...validateNotMoreThan100Percent(maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}
