// DaemonSet rules (ValidateDaemonSetSpec / ValidateDaemonSetUpdate, apps/v1).

import { type FieldError, invalidValue, notSupported } from '../errors.js';
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

const strategyTypes = ['RollingUpdate', 'OnDelete'];

export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  errs.push(...validateSelectorForTemplate(spec, 'spec', 'daemonset'));
  errs.push(
    ...validatePodTemplateSpec(spec.template, 'spec.template', {
      restartPolicies: ['Always'],
      noDeadlineFor: 'DaemonSet',
      noReplaceAfter:
        'a DaemonSet runs one pod on every gateway, so there is nowhere to replace it; use stop-after',
    }),
  );
  checkNonNegative(
    errs,
    readInteger(errs, spec.minReadySeconds, 'spec.minReadySeconds'),
    'spec.minReadySeconds',
  );
  const history = readInteger(errs, spec.revisionHistoryLimit, 'spec.revisionHistoryLimit');
  checkNonNegative(errs, history, 'spec.revisionHistoryLimit');
  errs.push(...validateUpdateStrategy(spec.updateStrategy, 'spec.updateStrategy'));
  if (old) errs.push(...validateSelectorUnchanged(spec, old.spec, 'spec'));
  return errs;
}

function validateUpdateStrategy(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const strategy = readRecord(errs, value, path);
  if (!strategy) return errs;
  const type = readString(errs, strategy.type, `${path}.type`);
  if (type !== undefined && !strategyTypes.includes(type))
    return [...errs, notSupported(`${path}.type`, type, strategyTypes)];
  if (type === 'OnDelete') return errs;
  const rolling = readRecord(errs, strategy.rollingUpdate, `${path}.rollingUpdate`);
  if (!rolling)
    return type ? [...errs, requiredBecause(`${path}.rollingUpdate`, 'must be set for RollingUpdate')] : errs;
  const rPath = `${path}.rollingUpdate`;
  errs.push(...validatePositiveIntOrPercent(rolling.maxUnavailable, `${rPath}.maxUnavailable`));
  errs.push(...validatePositiveIntOrPercent(rolling.maxSurge, `${rPath}.maxSurge`));
  errs.push(...validateNotMoreThan100Percent(rolling.maxUnavailable, `${rPath}.maxUnavailable`));
  errs.push(...validateNotMoreThan100Percent(rolling.maxSurge, `${rPath}.maxSurge`));
  // A node runs one daemon pod, so a rollout either surges or goes unavailable, not both.
  const unavailable = intOrPercentValue(rolling.maxUnavailable) !== 0;
  const surge = intOrPercentValue(rolling.maxSurge) !== 0;
  if (unavailable && surge) {
    errs.push(
      invalidValue(`${rPath}.maxSurge`, rolling.maxSurge, 'may not be set when maxUnavailable is non-zero'),
    );
  } else if (!unavailable && !surge) {
    errs.push(requiredBecause(`${rPath}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  }
  return errs;
}
