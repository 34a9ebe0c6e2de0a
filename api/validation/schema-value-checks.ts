// Checks of scalar values against a CRD schema: number bounds, string lengths, patterns,
// formats and `enum`. Each returns the errors for one value; the schema walk lives in
// custom-resource.ts.

import { jsonEquals } from '../canonical-json.js';
import type { FieldError } from '../errors.js';
import type { JsonSchemaProps } from './custom-resource.js';
import { formatMismatch, inBody, notInEnum } from './schema-errors.js';
import { matchesFormat } from './schema-formats.js';
import { schemaPattern } from './schema-pattern.js';

const int32Range = { min: -(2 ** 31), max: 2 ** 31 - 1 };
// int64 reaches 2^63-1, but a number beyond 2^53 would be stored as another number than the one
// sent, so the safe-integer range is what the hub can keep.
const int64Range = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

function numberAt(schema: JsonSchemaProps, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function checkNumber(schema: JsonSchemaProps, value: number, path: string): FieldError[] {
  const errs: FieldError[] = [];
  // OpenAPI 3.0: exclusiveMinimum/exclusiveMaximum are booleans qualifying minimum/maximum.
  const min = numberAt(schema, 'minimum');
  if (min !== undefined) {
    if (schema.exclusiveMinimum === true && value <= min) {
      errs.push(inBody(path, value, `should be greater than ${min}`));
    } else if (value < min) errs.push(inBody(path, value, `should be greater than or equal to ${min}`));
  }
  const max = numberAt(schema, 'maximum');
  if (max !== undefined) {
    if (schema.exclusiveMaximum === true && value >= max) {
      errs.push(inBody(path, value, `should be less than ${max}`));
    } else if (value > max) errs.push(inBody(path, value, `should be less than or equal to ${max}`));
  }
  const factor = numberAt(schema, 'multipleOf');
  if (factor !== undefined && factor > 0 && !isMultiple(value, factor)) {
    errs.push(inBody(path, value, `should be a multiple of ${factor}`));
  }
  if (Number.isInteger(value) && (schema.format === 'int32' || schema.format === 'int64')) {
    const range = schema.format === 'int32' ? int32Range : int64Range;
    if (value > range.max) errs.push(inBody(path, value, `should be less than or equal to ${range.max}`));
    else if (value < range.min)
      errs.push(inBody(path, value, `should be greater than or equal to ${range.min}`));
  }
  return errs;
}

/** Division in floating point: 0.3 is a multiple of 0.1 although 0.3 / 0.1 is 2.9999999999999996. */
function isMultiple(value: number, factor: number): boolean {
  const quotient = value / factor;
  if (!Number.isFinite(quotient)) return false;
  return Math.abs(quotient - Math.round(quotient)) <= 1e-9 * Math.max(1, Math.abs(quotient));
}

export function checkString(schema: JsonSchemaProps, value: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const minLength = numberAt(schema, 'minLength');
  const maxLength = numberAt(schema, 'maxLength');
  if (minLength !== undefined || maxLength !== undefined) {
    // Lengths count code points (Go counts runes), not UTF-16 units.
    const length = codePoints(value);
    if (minLength !== undefined && length < minLength) {
      errs.push(inBody(path, value, `should be at least ${minLength} chars long`));
    }
    if (maxLength !== undefined && length > maxLength) {
      errs.push(inBody(path, value, `should be at most ${maxLength} chars long`));
    }
  }
  if (typeof schema.pattern === 'string') {
    const pattern = schemaPattern(schema, schema.pattern);
    if (typeof pattern === 'string') {
      errs.push(
        inBody(path, value, `should match '${schema.pattern}', which is not a valid regular expression`),
      );
    } else if (!pattern.test(value)) {
      errs.push(inBody(path, value, `should match '${schema.pattern}'`));
    }
  }
  if (typeof schema.format === 'string' && !matchesFormat(schema.format, value)) {
    errs.push(formatMismatch(path, value, schema.format));
  }
  return errs;
}

function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

export function checkEnum(schema: JsonSchemaProps, value: unknown, path: string): FieldError[] {
  const allowed = schema.enum;
  // An empty enum constrains nothing, as in kube-openapi.
  if (!Array.isArray(allowed) || allowed.length === 0 || allowed.some((a) => jsonEquals(a, value))) return [];
  return [notInEnum(path, value, allowed)];
}
