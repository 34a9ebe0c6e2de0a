// ConfigMap rules (ValidateConfigMap / ValidateConfigMapUpdate).

import { type FieldError, forbidden, invalidValue } from '../errors.js';
import type { KubeObject } from '../types.js';
import { maxDataBytes, validateDataMap } from './data-map.js';
import { jsonEqual } from './deep-equal.js';
import { tooLong } from './field-errors.js';
import { readBoolean } from './field-readers.js';

export function validateConfigMap(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = validateDataMap(errs, obj.data, 'data', false);
  const binary = validateDataMap(errs, obj.binaryData, 'binaryData', true);
  for (const key of data.keys) {
    if (binary.keys.has(key))
      errs.push(invalidValue(`data[${key}]`, key, 'duplicate of key present in binaryData'));
  }
  for (const key of binary.keys) {
    if (data.keys.has(key))
      errs.push(invalidValue(`binaryData[${key}]`, key, 'duplicate of key present in data'));
  }
  // kube reports the size against the whole object, hence the empty field path.
  if (data.bytes + binary.bytes > maxDataBytes) errs.push(tooLong('', maxDataBytes));
  readBoolean(errs, obj.immutable, 'immutable');
  if (old) errs.push(...validateImmutableData(obj, old, ['data', 'binaryData']));
  return errs;
}

/** An object created with `immutable: true` can neither change its data nor become mutable. */
export function validateImmutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const field of fields) {
    if (!jsonEqual(obj[field], old[field]))
      errs.push(forbidden(field, 'field is immutable when `immutable` is set'));
  }
  return errs;
}
