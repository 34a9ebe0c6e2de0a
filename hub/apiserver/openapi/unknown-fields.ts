// Fields a built-in kind does not have, found by walking an object along its kind's OpenAPI
// schema — what kube-apiserver's strict decoder reports for `fieldValidation=Strict` — and the
// object without them, since a field the kind does not have is never stored (a typo such as
// `comand:` would otherwise be kept and silently mean nothing).
//
// Free-form parts stay free: a schema with `x-kubernetes-preserve-unknown-fields`, an object
// schema without properties (RawExtension, FieldsV1), and map values (`additionalProperties`)
// are walked only as far as their schema describes them.

import type { Schema } from './schema-builders.js';
import { componentSchemas } from './schema-registry.js';
import { resolve } from './schema-type-check.js';

/** A field's place: object keys and list indexes from the root. */
export type FieldPath = ReadonlyArray<string | number>;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every field of `obj` the schema (or named component schema) does not have, in document order. */
export function unknownFieldPaths(schemaOrName: Schema | string, obj: unknown): FieldPath[] {
  const schema = typeof schemaOrName === 'string' ? componentSchemas.get(schemaOrName) : schemaOrName;
  if (!schema) throw new Error(`OpenAPI schema ${schemaOrName} is not defined`);
  const found: FieldPath[] = [];
  walk(schema, obj, [], found);
  return found;
}

function walk(raw: Schema, value: unknown, path: Array<string | number>, found: FieldPath[]): void {
  const schema = resolve(raw);
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    if (items) for (const [i, item] of value.entries()) walk(items, item, [...path, i], found);
    return;
  }
  if (!isObject(value)) return;
  const properties = schema.properties as Record<string, Schema> | undefined;
  const additional = schema.additionalProperties;
  for (const [key, child] of Object.entries(value)) {
    const property = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (property) {
      if (child !== null) walk(property, child, [...path, key], found);
    } else if (isObject(additional)) {
      walk(additional, child, [...path, key], found);
    } else if (properties && additional !== true) {
      found.push([...path, key]);
    }
  }
}

/** `spec.containers[0].comand`, as kube-apiserver names a field in strict decoding errors. */
export function fieldPathText(path: FieldPath): string {
  let text = '';
  for (const part of path) {
    text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  }
  return text;
}

/** Removes the fields at `paths` from `obj` (which the caller owns). */
export function dropFields(obj: unknown, paths: readonly FieldPath[]): void {
  for (const path of paths) {
    let parent: unknown = obj;
    for (const part of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[part];
    const last = path[path.length - 1];
    if (isObject(parent) && typeof last === 'string') delete parent[last];
  }
}
