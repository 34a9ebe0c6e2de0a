// IntOrString fields that hold a count or a percentage (maxSurge, maxUnavailable):
// ValidatePositiveIntOrPercent and IsNotMoreThan100Percent.
import { type FieldError, invalidValue } from '../errors.js';
import { nonNegativeMessage } from './field-errors.js';
import { isValidPercent } from './network-formats.js';

export function validatePositiveIntOrPercent(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return isValidPercent(value).map((m) => invalidValue(path, value, m));
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value < 0 ? [invalidValue(path, value, nonNegativeMessage)] : [];
  }
  return [invalidValue(path, value, "must be an integer or percentage (e.g '5%')")];
}

export function validateNotMoreThan100Percent(value: unknown, path: string): FieldError[] {
  if (typeof value !== 'string' || !value.endsWith('%')) return [];
  return Number.parseInt(value, 10) > 100 ? [invalidValue(path, value, 'must not be greater than 100%')] : [];
}

/** The number or percentage as written (25 for "25%"); anything unparseable counts as 0. */
export function intOrPercentValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number.parseInt(value, 10) || 0;
  return 0;
}
