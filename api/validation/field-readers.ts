// Readers for fields of untrusted JSON. Each returns the value when it has the JSON type the
// Kubernetes schema expects and otherwise records a field error, so one field of the wrong type
// never hides the problems in the rest of the object. Absent (undefined or null) is not an error:
// whether a field is required is the caller's rule.
import { type FieldError, invalidValue } from '../errors.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

export function readRecord(errs: FieldError[], value: unknown, path: string): JsonRecord | undefined {
  if (absent(value)) return undefined;
  if (isRecord(value)) return value;
  errs.push(invalidValue(path, value, 'must be an object'));
  return undefined;
}

export function readArray(errs: FieldError[], value: unknown, path: string): unknown[] | undefined {
  if (absent(value)) return undefined;
  if (Array.isArray(value)) return value;
  errs.push(invalidValue(path, value, 'must be an array'));
  return undefined;
}

/** A list element may not be null: unlike a field, it cannot be "absent". */
function nullElement(errs: FieldError[], item: unknown, path: string): boolean {
  if (!absent(item)) return false;
  errs.push(invalidValue(path, null, 'must not be null'));
  return true;
}

/** Array elements that are objects; the others (null too) are reported with their index. */
export function readRecords(errs: FieldError[], value: unknown, path: string): Array<[JsonRecord, string]> {
  const items = readArray(errs, value, path) ?? [];
  const out: Array<[JsonRecord, string]> = [];
  items.forEach((item, i) => {
    if (nullElement(errs, item, `${path}[${i}]`)) return;
    const record = readRecord(errs, item, `${path}[${i}]`);
    if (record) out.push([record, `${path}[${i}]`]);
  });
  return out;
}

export function readString(errs: FieldError[], value: unknown, path: string): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value === 'string') return value;
  errs.push(invalidValue(path, value, 'must be a string'));
  return undefined;
}

export function readInteger(errs: FieldError[], value: unknown, path: string): number | undefined {
  if (absent(value)) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  errs.push(invalidValue(path, value, 'must be an integer'));
  return undefined;
}

export function readBoolean(errs: FieldError[], value: unknown, path: string): boolean | undefined {
  if (absent(value)) return undefined;
  if (typeof value === 'boolean') return value;
  errs.push(invalidValue(path, value, 'must be a boolean'));
  return undefined;
}

/** A `map[string]string` such as labels, annotations, selectors and ConfigMap data. */
export function readStringMap(
  errs: FieldError[],
  value: unknown,
  path: string,
): Record<string, string> | undefined {
  const record = readRecord(errs, value, path);
  if (!record) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(record)) {
    if (typeof item === 'string') out[key] = item;
    else errs.push(invalidValue(`${path}[${key}]`, item, 'must be a string'));
  }
  return out;
}

/** Strings of a `[]string`; other elements are reported with their index. */
export function readStrings(errs: FieldError[], value: unknown, path: string): string[] {
  const items = readArray(errs, value, path) ?? [];
  const out: string[] = [];
  items.forEach((item, i) => {
    if (nullElement(errs, item, `${path}[${i}]`)) return;
    const text = readString(errs, item, `${path}[${i}]`);
    if (text !== undefined) out.push(text);
  });
  return out;
}
