// Building blocks for MQTT payload validators. A validator takes the decoded JSON (`unknown`)
// and answers `{ok: true, value}` or `{ok: false, error}` where the error names the field, in
// the `field: message` form the API server uses for 422 causes. Absent optional fields are
// fine; unknown fields are ignored, so an older hub accepts payloads from a newer agent.
import { type FieldError, invalidValue, notSupported, required } from '../../errors.js';
import {
  type JsonRecord,
  readArray,
  readBoolean,
  readInteger,
  readRecord,
  readString,
} from '../../validation/field-readers.js';
import type { RefusedItem } from './refusal.js';

/**
 * A batch may pass with some items refused: `value.items` holds the good ones, `itemIndexes`
 * their positions in the batch as sent, `refused` the others with their reasons.
 */
export type Validation<T> =
  | { ok: true; value: T; refused?: RefusedItem[]; itemIndexes?: number[] }
  | { ok: false; error: string };

export type Validator<T> = (raw: unknown) => Validation<T>;

/** At most this many field errors are spelled out in one error string. */
const shownErrors = 3;

function describeErrors(errs: FieldError[]): string {
  const shown = errs.slice(0, shownErrors).map((e) => `${e.field}: ${e.message}`);
  if (errs.length > shownErrors) shown.push(`and ${errs.length - shownErrors} more`);
  return shown.join('; ');
}

export function verdict<T>(errs: FieldError[], value: unknown): Validation<T> {
  if (errs.length === 0) return { ok: true, value: value as T };
  return { ok: false, error: describeErrors(errs) };
}

/** Why a payload, or the first refused item of a batch, was not accepted; undefined if it was. */
export function firstProblem(validation: Validation<unknown>): string | undefined {
  return validation.ok ? validation.refused?.[0]?.reason : validation.error;
}

/**
 * A batch `{items: [...]}` whose items are checked one by one: a bad item is refused alone,
 * with its index and reason, and the others are kept in order. Only a malformed envelope
 * (not an object, no items array, too many items) refuses the whole message.
 */
export function batchPayload<T>(
  maxItems: number,
  checkItem: (errs: FieldError[], item: JsonRecord, at: string) => void,
): Validator<{ items: T[] }> {
  return (raw) => {
    const errs: FieldError[] = [];
    const body = readRecord(errs, raw, 'payload');
    if (!body) return verdict(errs.length ? errs : [required('payload')], raw);
    const items = needArray(errs, body.items, 'items', maxItems);
    if (errs.length > 0) return verdict(errs, raw);
    const kept: T[] = [];
    const itemIndexes: number[] = [];
    const refused: RefusedItem[] = [];
    items.forEach((item, index) => {
      const at = `items[${index}]`;
      const itemErrs: FieldError[] = [];
      const record = item === null ? undefined : readRecord(itemErrs, item, at);
      if (record) checkItem(itemErrs, record, at);
      else if (itemErrs.length === 0) itemErrs.push(invalidValue(at, null, 'must not be null'));
      if (itemErrs.length > 0) refused.push({ index, reason: describeErrors(itemErrs) });
      else {
        kept.push(item as T);
        itemIndexes.push(index);
      }
    });
    return { ok: true, value: { ...body, items: kept }, refused, itemIndexes };
  };
}

/** The payload itself must be a JSON object; its fields are checked by `check`. */
export function objectPayload<T>(
  check: (errs: FieldError[], body: Record<string, unknown>) => void,
): Validator<T> {
  return (raw) => {
    const errs: FieldError[] = [];
    const body = readRecord(errs, raw, 'payload');
    if (!body) return verdict<T>(errs.length ? errs : [required('payload')], raw);
    check(errs, body);
    return verdict<T>(errs, raw);
  };
}

function present(errs: FieldError[], value: unknown, path: string): boolean {
  if (value !== undefined && value !== null) return true;
  errs.push(required(path));
  return false;
}

export function needString(
  errs: FieldError[],
  value: unknown,
  path: string,
  maxLength = 1024,
): string | undefined {
  if (!present(errs, value, path)) return undefined;
  const text = readString(errs, value, path);
  if (text === '') errs.push(required(path));
  return text === undefined ? undefined : checkLength(errs, text, path, maxLength);
}

export function optString(
  errs: FieldError[],
  value: unknown,
  path: string,
  maxLength = 1024,
): string | undefined {
  const text = readString(errs, value, path);
  return text === undefined ? undefined : checkLength(errs, text, path, maxLength);
}

function checkLength(errs: FieldError[], text: string, path: string, maxLength: number): string {
  if (text.length > maxLength)
    errs.push(invalidValue(path, `${text.slice(0, 16)}…`, `must be at most ${maxLength} characters`));
  return text;
}

export function needBoolean(errs: FieldError[], value: unknown, path: string): boolean | undefined {
  return present(errs, value, path) ? readBoolean(errs, value, path) : undefined;
}

/** A non-negative integer: sequence numbers, revisions, counts. */
export function optCount(errs: FieldError[], value: unknown, path: string): number | undefined {
  const n = readInteger(errs, value, path);
  if (n !== undefined && (n < 0 || !Number.isSafeInteger(n))) {
    errs.push(invalidValue(path, n, 'must be a non-negative safe integer'));
  }
  return n;
}

export function needCount(errs: FieldError[], value: unknown, path: string): number | undefined {
  return present(errs, value, path) ? optCount(errs, value, path) : undefined;
}

/** Milliseconds since the Unix epoch, as `Date.now()` gives them. */
export function needEpochMillis(errs: FieldError[], value: unknown, path: string): number | undefined {
  const n = needCount(errs, value, path);
  // 1e14 ms is the year 5138: anything above is seconds-vs-nanoseconds confusion.
  if (n !== undefined && n > 1e14) errs.push(invalidValue(path, n, 'must be milliseconds since the epoch'));
  return n;
}

export function optEpochMillis(errs: FieldError[], value: unknown, path: string): number | undefined {
  return value === undefined ? undefined : needEpochMillis(errs, value, path);
}

export function optEnum<T extends string>(
  errs: FieldError[],
  value: unknown,
  path: string,
  allowed: readonly T[],
): T | undefined {
  const text = readString(errs, value, path);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) errs.push(notSupported(path, text, allowed));
  return text as T;
}

export function needEnum<T extends string>(
  errs: FieldError[],
  value: unknown,
  path: string,
  allowed: readonly T[],
): T | undefined {
  return present(errs, value, path) ? optEnum(errs, value, path, allowed) : undefined;
}

/** An array of at most `max` elements (each checked by the caller); empty when over the limit. */
export function needArray(errs: FieldError[], value: unknown, path: string, max: number): unknown[] {
  if (!present(errs, value, path)) return [];
  const items = readArray(errs, value, path) ?? [];
  if (items.length <= max) return items;
  // Too many: say so and do not spend time checking every element.
  errs.push(invalidValue(path, items.length, `must have at most ${max} items`));
  return [];
}

export function needRecord(
  errs: FieldError[],
  value: unknown,
  path: string,
): Record<string, unknown> | undefined {
  return present(errs, value, path) ? readRecord(errs, value, path) : undefined;
}

/** A required array of objects, each returned with its path for the caller's checks. */
export function needRecords(
  errs: FieldError[],
  value: unknown,
  path: string,
  max: number,
): Array<[JsonRecord, string]> {
  const out: Array<[JsonRecord, string]> = [];
  needArray(errs, value, path, max).forEach((item, i) => {
    if (item === null) errs.push(invalidValue(`${path}[${i}]`, null, 'must not be null'));
    const record = readRecord(errs, item, `${path}[${i}]`);
    if (record) out.push([record, `${path}[${i}]`]);
  });
  return out;
}
