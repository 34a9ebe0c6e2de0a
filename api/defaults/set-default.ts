// Small setters for defaulting. Go defaulting treats a field as unset when it holds its zero
// value ("" for strings, nil for pointers); these mirror that on plain JSON.
import { isRecord, type JsonRecord } from '../validation/field-readers.js';

/** Sets `obj[key]` when it is absent or null (a nil pointer in Go). */
export function defaultValue(obj: JsonRecord, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null) obj[key] = value;
}

/** Sets a string field when it is absent, null or "" (Go's zero string). */
export function defaultString(obj: JsonRecord, key: string, value: string): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === '') obj[key] = value;
}

/** Sets an int32 field whose zero means "use the default" (probe timings). */
export function defaultPositive(obj: JsonRecord, key: string, value: number): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === 0) obj[key] = value;
}

/**
 * The object at `obj[key]`, created when absent. Returns undefined when the field holds
 * something else: validation will report it, defaulting must not paper over it.
 */
export function objectAt(obj: JsonRecord, key: string): JsonRecord | undefined {
  if (obj[key] === undefined || obj[key] === null) obj[key] = {};
  const value = obj[key];
  return isRecord(value) ? value : undefined;
}

/** The object elements of an array field, skipping anything malformed. */
export function recordsAt(obj: JsonRecord, key: string): JsonRecord[] {
  const value = obj[key];
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The object at `obj[key]` only when it is already present. */
export function existingObject(obj: JsonRecord, key: string): JsonRecord | undefined {
  const value = obj[key];
  return isRecord(value) ? value : undefined;
}
