// How server-side apply sees each field of a kind, read from its OpenAPI schema: a struct (fields
// merged one by one), a map (entries merged by key), a list that is a map (items matched on their
// key fields), a set (items merged as values), or atomic (replaced whole). Lists say it with
// `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` (custom resources) or, for built-in
// kinds, with the strategic-merge extensions kubectl reads: a merge key makes a list map, a
// merge without key a set, anything else is atomic.
import type { Schema } from '../openapi/schema-builders.js';
import { resolve as resolveSchema } from '../openapi/schema-type-check.js';

export type FieldShape =
  | { kind: 'struct'; schema: Schema }
  | { kind: 'map'; values: Schema | undefined }
  | { kind: 'listMap'; keys: string[]; items: Schema | undefined }
  | { kind: 'set' }
  | { kind: 'atomic' };

const atomic: FieldShape = { kind: 'atomic' };

/** The shape of a value described by `raw` (undefined: not described, taken as atomic). */
export function shapeOf(raw: Schema | undefined): FieldShape {
  if (!raw) return atomic;
  const schema = resolveSchema(raw);
  if (schema.type === 'array' || schema.items !== undefined) return listShape(raw, schema);
  if (schema['x-kubernetes-map-type'] === 'atomic') return atomic;
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties && Object.keys(properties).length > 0) return { kind: 'struct', schema };
  const additional = schema.additionalProperties;
  if (additional && typeof additional === 'object') return { kind: 'map', values: additional as Schema };
  // An object without properties (preserve-unknown-fields, RawExtension): its keys merge one by one.
  if (schema.type === 'object' || schema['x-kubernetes-preserve-unknown-fields'] === true) {
    return { kind: 'map', values: undefined };
  }
  return atomic;
}

function listShape(raw: Schema, schema: Schema): FieldShape {
  const items = schema.items as Schema | undefined;
  // The extensions may sit on the property (next to an allOf $ref) or on the resolved schema.
  const read = (name: string) => raw[name] ?? schema[name];
  const listType = read('x-kubernetes-list-type');
  if (listType === 'map') {
    const keys = read('x-kubernetes-list-map-keys');
    return Array.isArray(keys) && keys.length > 0
      ? { kind: 'listMap', keys: keys.map(String), items }
      : atomic;
  }
  if (listType === 'set') return { kind: 'set' };
  if (listType === 'atomic') return atomic;
  const strategy = String(read('x-kubernetes-patch-strategy') ?? '');
  if (!strategy.split(',').includes('merge')) return atomic;
  const key = read('x-kubernetes-patch-merge-key');
  return typeof key === 'string' ? { kind: 'listMap', keys: [key], items } : { kind: 'set' };
}

/** The schema of a struct's field, or of a map's values. */
export function childSchema(shape: FieldShape, name: string): Schema | undefined {
  if (shape.kind === 'struct') return (shape.schema.properties as Record<string, Schema>)[name];
  if (shape.kind === 'map') return shape.values;
  return undefined;
}
