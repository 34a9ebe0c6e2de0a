// Defaulting of a custom resource from its CRD schema's `default` values, as kube-apiserver does
// for CRs: a null field the schema does not declare nullable is dropped (as if absent); an absent
// field whose schema has a default gets a copy of it; then defaulting goes on inside every present value, the new ones included,
// so defaults nested under a defaulted object apply too. Nothing is defaulted where no
// properties describe the value (x-kubernetes-preserve-unknown-fields), inside allOf/anyOf/
// oneOf/not (defaults are not allowed there), or in the root's metadata.
import type { JsonSchemaProps } from '../validation/custom-resource.js';
import { isRecord } from '../validation/field-readers.js';

const maxDepth = 128;

export function applySchemaDefaults(schema: JsonSchemaProps, value: unknown): void {
  applyDefaults(schema, value, true, 0);
}

function applyDefaults(schema: unknown, value: unknown, atRoot: boolean, depth: number): void {
  if (!isRecord(schema) || depth > maxDepth) return;
  if (Array.isArray(value)) {
    for (const item of value) applyDefaults(schema.items, item, false, depth + 1);
    return;
  }
  if (!isRecord(value)) return;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  for (const [key, property] of Object.entries(properties)) {
    if ((atRoot && key === 'metadata') || !isRecord(property)) continue;
    const current = Object.hasOwn(value, key) ? value[key] : undefined;
    if (current === null && property.nullable !== true) delete value[key];
    if (
      property.default !== undefined &&
      (current === undefined || (current === null && property.nullable !== true))
    ) {
      setField(value, key, copyJson(property.default));
    }
  }
  for (const [key, child] of Object.entries(value)) {
    if (atRoot && key === 'metadata') continue;
    if (Object.hasOwn(properties, key)) applyDefaults(properties[key], child, false, depth + 1);
    else applyDefaults(schema.additionalProperties, child, false, depth + 1);
  }
}

/** Defines the field, so that a property named `__proto__` is a field, not the prototype. */
function setField(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A copy sharing nothing with the schema, so objects never alias each other's defaults. */
function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setField(out, key, copyJson(item));
  return out;
}
