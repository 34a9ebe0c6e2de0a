// The JSON types of OpenAPI schemas (`type: integer` and the rest) as values have them: what
// both the hub's type check of every kind and a custom resource's schema validation ask.
import { isRecord } from './field-readers.js';

/** The JSON type name kube-openapi reports for a value ("integer" for integral numbers). */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether `value` is of the schema type `type` (object, array, integer, number, string, boolean). */
export function matchesJsonType(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}
