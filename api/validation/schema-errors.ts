// Field errors for values checked against a CRD schema, worded as kube-apiserver reports
// kube-openapi's schema failures (`<path> in body should ...`).
import type { FieldError } from '../errors.js';
import { jsonTypeOf } from './json-types.js';

/** A value as a message shows it: scalars as JSON, objects and arrays by their type only. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(jsonTypeOf(value));
}

/** `Invalid value: <value>: <path> in body <detail>`. */
export function inBody(path: string, value: unknown, detail: string): FieldError {
  return {
    field: path,
    type: 'FieldValueInvalid',
    message: `Invalid value: ${shown(value)}: ${path} in body ${detail}`,
  };
}

/** A string that is not of its declared `format`, reported as a type error like kube does. */
export function formatMismatch(path: string, value: string, format: string): FieldError {
  const text = JSON.stringify(value);
  return {
    field: path,
    type: 'FieldValueTypeInvalid',
    message: `Invalid value: ${text}: ${path} in body must be of type ${format}: ${text}`,
  };
}

/** `enum` failures: the allowed values listed as strings, like field.NotSupported. */
export function notInEnum(path: string, value: unknown, allowed: readonly unknown[]): FieldError {
  const list = allowed.map((a) => JSON.stringify(typeof a === 'string' ? a : safeJson(a))).join(', ');
  return {
    field: path,
    type: 'FieldValueNotSupported',
    message: `Unsupported value: ${shown(value)}: supported values: ${list}`,
  };
}

/** A list element that repeats an earlier one (or its map keys), shown in full. */
export function duplicateItem(path: string, value: unknown): FieldError {
  return { field: path, type: 'FieldValueDuplicate', message: `Duplicate value: ${safeJson(value)}` };
}

/** A failed allOf/anyOf/oneOf/not, with kube-openapi's quoted path. */
export function compositeFailure(path: string, value: unknown, detail: string): FieldError {
  return {
    field: path,
    type: 'FieldValueInvalid',
    message: `Invalid value: ${shown(value)}: "${path}" ${detail}`,
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return JSON.stringify(jsonTypeOf(value));
  }
}
