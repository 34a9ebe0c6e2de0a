// Label maps (metadata.labels, nodeSelector, Service selector, matchLabels) and annotations,
// as in apimachinery's ValidateLabels / ValidateAnnotations. Errors name the map, not the key,
// exactly like kube-apiserver.
import { type FieldError, invalidValue } from '../errors.js';
import { tooLong } from './field-errors.js';
import { readStringMap } from './field-readers.js';
import { isQualifiedName, isValidLabelValue } from './name-formats.js';

/** kube's TotalAnnotationSizeLimitB. */
export const maxAnnotationBytes = 256 * 1024;

export function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((m) => invalidValue(path, key, m));
}

export function validateLabelValue(value: string, path: string): FieldError[] {
  return isValidLabelValue(value).map((m) => invalidValue(path, value, m));
}

export function validateLabels(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const labels = readStringMap(errs, value, path) ?? {};
  for (const [key, text] of Object.entries(labels)) {
    errs.push(...validateLabelName(key, path), ...validateLabelValue(text, path));
  }
  return errs;
}

export function validateAnnotations(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const annotations = readStringMap(errs, value, path) ?? {};
  let total = 0;
  for (const [key, text] of Object.entries(annotations)) {
    // kube lower-cases annotation keys before the check, so upper case is allowed here.
    for (const m of isQualifiedName(key.toLowerCase())) errs.push(invalidValue(path, key, m));
    total += Buffer.byteLength(key) + Buffer.byteLength(text);
  }
  if (total > maxAnnotationBytes) errs.push(tooLong(path, maxAnnotationBytes));
  return errs;
}
