// Checks an object's JSON types against the OpenAPI schema the hub publishes for its kind, so the
// document kubectl reads and what the API server accepts are one definition and no field can
// be forgotten. Only types and integer ranges are checked here: required fields, formats and
// value rules are the per-kind validators' job, and unknown fields pass (as in kube without
// strict field validation).
//
// Null follows the Go decoder of built-in kinds for fields (`"replicas": null` means absent,
// and manifests carry `creationTimestamp: null`), but a null list element or map value is a
// type error: kube would silently turn it into a zero-valued struct; here it would reach the
// scheduler and the agents as null.
//
// Like CRD validation ratcheting (KEP-4008), a subtree equal to the stored object's is not
// re-checked on update, so a status write never fails over a field it did not touch.
import { isDeepStrictEqual } from 'node:util';
import { type FieldError, invalidValue, typeInvalid } from '../../../api/errors.js';
import { jsonTypeOf, matchesJsonType } from '../../../api/validation/json-types.js';
import type { Schema } from './schema-builders.js';
import { componentSchemas } from './schema-registry.js';

const int32Range = { min: -(2 ** 31), max: 2 ** 31 - 1 };
// int64 is declared up to 2^63-1, but the hub holds numbers as doubles: an integer beyond 2^53
// would be stored as a different number than the one sent, so it is refused instead.
const int64Range = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Resolved once per schema object: the schemas are built at load and never change.
const resolved = new WeakMap<Schema, Schema>();

/** The schema `schema` stands for, through `$ref` and a describing single-entry `allOf`. */
export function resolve(schema: Schema): Schema {
  let found = resolved.get(schema);
  if (!found) {
    found = follow(schema);
    resolved.set(schema, found);
  }
  return found;
}

/** Follows `$ref` and the single-entry `allOf` that carries a description next to a `$ref`. */
function follow(schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; hops < 16; hops++) {
    const allOf = current.allOf as Schema[] | undefined;
    const target = (allOf?.length === 1 ? allOf[0] : current)?.$ref;
    if (typeof target !== 'string') return current;
    const found = componentSchemas.get(target.replace('#/components/schemas/', ''));
    if (!found) throw new Error(`OpenAPI schema ${target} is referenced but not defined`);
    current = found;
  }
  throw new Error('OpenAPI schema references nest too deep');
}

class TypeChecker {
  readonly errors: FieldError[] = [];

  check(raw: Schema, value: unknown, old: unknown, path: string): void {
    // Not at the root: a whole object equal to the stored one is rare, and comparing it first
    // would walk every write twice.
    if (path !== '' && old !== undefined && isDeepStrictEqual(value, old)) return;
    const schema = resolve(raw);
    if (value === null) {
      if (schema.nullable !== true) this.mismatch(path, value, expectedType(schema));
      return;
    }
    const types = acceptedTypes(schema);
    if (types && !types.some((type) => matchesJsonType(type, value))) {
      this.mismatch(path, value, types.join(' or '));
      return;
    }
    if (typeof value === 'number' && types?.includes('integer')) this.checkRange(schema, value, path);
    if (Array.isArray(value)) this.checkItems(schema, value, old, path);
    else if (isObject(value)) this.checkProperties(schema, value, old, path);
  }

  private checkRange(schema: Schema, value: number, path: string): void {
    // IntOrString's integer is an int32 (k8s.io/apimachinery/pkg/util/intstr).
    const range = schema.format === 'int32' || schema['x-kubernetes-int-or-string'] ? int32Range : int64Range;
    if (value > range.max) {
      this.errors.push(
        invalidValue(path, value, `${path} in body should be less than or equal to ${range.max}`),
      );
    } else if (value < range.min) {
      this.errors.push(
        invalidValue(path, value, `${path} in body should be greater than or equal to ${range.min}`),
      );
    }
  }

  private checkItems(schema: Schema, value: unknown[], old: unknown, path: string): void {
    const items = schema.items as Schema | undefined;
    if (!items) return;
    const before = Array.isArray(old) ? old : [];
    value.forEach((item, i) => {
      this.check(items, item, before[i], `${path}[${i}]`);
    });
  }

  private checkProperties(schema: Schema, value: Json, old: unknown, path: string): void {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const additional = schema.additionalProperties;
    const before = isObject(old) ? old : {};
    for (const [key, child] of Object.entries(value)) {
      const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (property) {
        // A null field is an absent field, as the Go decoder of built-in kinds reads it.
        if (child !== null) this.check(property, child, before[key], path ? `${path}.${key}` : key);
      } else if (isObject(additional)) {
        this.check(additional, child, before[key], `${path}[${key}]`);
      }
    }
  }

  private mismatch(path: string, value: unknown, expected: string): void {
    this.errors.push(typeInvalid(path, jsonTypeOf(value), expected));
  }
}

/** The JSON types a schema admits, or undefined when it does not constrain the type. */
function acceptedTypes(schema: Schema): string[] | undefined {
  if (schema['x-kubernetes-int-or-string']) return ['integer', 'string'];
  const oneOf = schema.oneOf as Schema[] | undefined;
  if (oneOf?.every((option) => typeof option.type === 'string')) return oneOf.map((o) => o.type as string);
  return typeof schema.type === 'string' ? [schema.type] : undefined;
}

function expectedType(schema: Schema): string {
  return acceptedTypes(schema)?.join(' or ') ?? 'any non-null value';
}

/**
 * Field errors for every value of `obj` whose JSON type (or integer range) the named component
 * schema does not allow; `old` is the stored object on update.
 */
export function checkSchemaTypes(schemaOrName: Schema | string, obj: unknown, old?: unknown): FieldError[] {
  const schema = typeof schemaOrName === 'string' ? componentSchemas.get(schemaOrName) : schemaOrName;
  if (!schema) throw new Error(`OpenAPI schema ${schemaOrName} is not defined`);
  const checker = new TypeChecker();
  checker.check(schema, obj, old, '');
  return checker.errors;
}
