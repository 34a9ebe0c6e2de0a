// ServiceAccount rules (ValidateServiceAccount): its references name objects of its namespace.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { readBoolean, readRecords, readString } from './field-readers.js';

export function validateServiceAccount(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  readBoolean(errs, obj.automountServiceAccountToken, 'automountServiceAccountToken');
  for (const field of ['secrets', 'imagePullSecrets']) {
    for (const [ref, path] of readRecords(errs, obj[field], field)) {
      readString(errs, ref.name, `${path}.name`);
    }
  }
  return errs;
}
