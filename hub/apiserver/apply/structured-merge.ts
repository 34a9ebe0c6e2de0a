// Merging an applied configuration into the live object, field by field as the kind's schema
// shapes it (field-shapes.ts): structs and maps merge per key, list maps per item key (an item
// merges into the live item with the same key, new items are appended), sets take the union,
// atomic fields and scalars are replaced. A null in the configuration removes the field.
import { isRecord } from '../../../api/validation/field-readers.js';
import type { Schema } from '../openapi/schema-builders.js';
import { itemKey } from './field-set.js';
import { childSchema, shapeOf } from './field-shapes.js';

type Json = Record<string, unknown>;

export function mergeApplied(live: unknown, applied: unknown, schema: Schema | undefined): unknown {
  if (applied === undefined) return live;
  const shape = shapeOf(schema);
  if ((shape.kind === 'struct' || shape.kind === 'map') && isRecord(applied)) {
    const out: Json = isRecord(live) ? { ...live } : {};
    for (const [key, value] of Object.entries(applied)) {
      if (value === null) delete out[key];
      else out[key] = mergeApplied(out[key], value, childSchema(shape, key));
    }
    return out;
  }
  if (shape.kind === 'listMap' && Array.isArray(applied)) {
    const out = Array.isArray(live) ? [...live] : [];
    for (const item of applied) {
      if (!isRecord(item)) continue;
      const key = itemKey(shape, item);
      const index = out.findIndex((existing) => isRecord(existing) && itemKey(shape, existing) === key);
      if (index >= 0) out[index] = mergeApplied(out[index], item, shape.items);
      else out.push(mergeApplied(undefined, item, shape.items));
    }
    return out;
  }
  if (shape.kind === 'set' && Array.isArray(applied)) {
    const out = Array.isArray(live) ? [...live] : [];
    for (const value of applied) {
      if (!out.some((existing) => JSON.stringify(existing) === JSON.stringify(value))) out.push(value);
    }
    return out;
  }
  return structuredClone(applied);
}
