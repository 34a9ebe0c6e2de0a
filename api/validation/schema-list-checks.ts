// Checks of arrays and objects as wholes against a CRD schema: item and property counts,
// `uniqueItems`, and the `x-kubernetes-list-type` set and map rules (the items themselves are
// checked by the schema walk in custom-resource.ts).

import { canonicalJson } from '../canonical-json.js';
import type { FieldError } from '../errors.js';
import type { JsonSchemaProps } from './custom-resource.js';
import { isRecord } from './field-readers.js';
import { duplicateItem, inBody } from './schema-errors.js';

function countAt(schema: JsonSchemaProps, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function checkArray(schema: JsonSchemaProps, value: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const minItems = countAt(schema, 'minItems');
  if (minItems !== undefined && value.length < minItems) {
    errs.push(inBody(path, value.length, `should have at least ${minItems} items`));
  }
  const maxItems = countAt(schema, 'maxItems');
  if (maxItems !== undefined && value.length > maxItems) {
    errs.push(inBody(path, value.length, `should have at most ${maxItems} items`));
  }
  if (schema.uniqueItems === true && new Set(value.map((item) => canonicalJson(item))).size < value.length) {
    errs.push(inBody(path, value, "shouldn't contain duplicates"));
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') errs.push(...duplicates(value, path, (item) => item));
  else if (listType === 'map') errs.push(...duplicates(value, path, mapKeyOf(schema)));
  return errs;
}

/** The identity of an item of a list-type map: its key fields (absent ones left out). */
function mapKeyOf(schema: JsonSchemaProps): (item: unknown) => unknown {
  const keys = schema['x-kubernetes-list-map-keys'];
  const names = Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  return (item) => {
    if (!isRecord(item)) return undefined;
    return Object.fromEntries(
      names.filter((name) => Object.hasOwn(item, name)).map((name) => [name, item[name]]),
    );
  };
}

/** One Duplicate error per item whose identity an earlier item already has. */
function duplicates(items: unknown[], path: string, identity: (item: unknown) => unknown): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const id = identity(item);
    // Items of the wrong shape have no identity; their type error is reported by the walk.
    if (id === undefined) return;
    const key = canonicalJson(id);
    if (seen.has(key)) errs.push(duplicateItem(`${path}[${i}]`, id));
    seen.add(key);
  });
  return errs;
}

export function checkObjectSize(
  schema: JsonSchemaProps,
  value: Record<string, unknown>,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const count = Object.keys(value).length;
  const min = countAt(schema, 'minProperties');
  if (min !== undefined && count < min)
    errs.push(inBody(path, count, `should have at least ${min} properties`));
  const max = countAt(schema, 'maxProperties');
  if (max !== undefined && count > max)
    errs.push(inBody(path, count, `should have at most ${max} properties`));
  return errs;
}
