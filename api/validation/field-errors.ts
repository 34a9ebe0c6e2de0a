// Field errors that api/errors.ts has no constructor for, in the wording of
// k8s.io/apimachinery/pkg/util/validation/field (ErrorBody renders "<Type>: <detail>").
import { type FieldError, invalidValue } from '../errors.js';

/** `field.Required(path, detail)`: the detail follows the type, as kube renders it. */
export function requiredBecause(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueRequired', message: `Required value: ${detail}` };
}

/** `field.TooLong(path, value, max)`. */
export function tooLong(field: string, maxBytes: number): FieldError {
  return { field, type: 'FieldValueTooLong', message: `Too long: may not be more than ${maxBytes} bytes` };
}

/**
 * `field.NotFound(path, value)`. The FieldError type union has no FieldValueNotFound, so the
 * cause reason is reported as FieldValueInvalid; the message is kube's.
 */
export function fieldNotFound(field: string, value: unknown): FieldError {
  return { field, type: 'FieldValueInvalid', message: `Not found: ${JSON.stringify(value ?? '')}` };
}

/** `ValidateImmutableField`: the new value is shown, as kube does. */
export function immutable(field: string, value: unknown): FieldError {
  return invalidValue(field, value ?? null, 'field is immutable');
}

export const nonNegativeMessage = 'must be greater than or equal to 0';

/** `ValidateNonnegativeField` for an optional integer. */
export function checkNonNegative(errs: FieldError[], value: number | undefined, field: string): void {
  if (value !== undefined && value < 0) errs.push(invalidValue(field, value, nonNegativeMessage));
}

/** Positive integer check for fields whose zero is replaced by a default before validation. */
export function checkPositive(errs: FieldError[], value: number | undefined, field: string): void {
  if (value !== undefined && value <= 0) errs.push(invalidValue(field, value, 'must be greater than 0'));
}
