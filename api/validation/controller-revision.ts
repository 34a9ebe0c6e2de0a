// apps/v1 ControllerRevision rules (ValidateControllerRevision): a snapshot of a template,
// so its data is mandatory and never changes.

import type { FieldError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { jsonEqual } from './deep-equal.js';
import { checkNonNegative, immutable, requiredBecause } from './field-errors.js';
import { readInteger } from './field-readers.js';

export function validateControllerRevision(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.data === undefined || obj.data === null) errs.push(requiredBecause('data', 'data is mandatory'));
  checkNonNegative(errs, readInteger(errs, obj.revision, 'revision'), 'revision');
  if (old && !jsonEqual(obj.data, old.data)) errs.push(immutable('data', obj.data));
  return errs;
}
