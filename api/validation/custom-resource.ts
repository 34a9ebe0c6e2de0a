// Validation of a custom resource against its CRD version's structural schema
// (apiextensions.k8s.io/v1 openAPIV3Schema), reported the way kube-apiserver reports
// kube-openapi's failures. The walk is here; the keyword checks are in schema-value-checks.ts
// (numbers, strings, formats, enum) and schema-list-checks.ts (arrays, object sizes, list types).
//
// `x-kubernetes-validations` (CEL rules) are not evaluated: the hub has no CEL interpreter, so
// such rules are accepted in the CRD and ignored here.
import { type FieldError, forbidden, required, typeInvalid } from '../errors.js';
import { requiredBecause } from './field-errors.js';
import { isRecord } from './field-readers.js';
import { jsonTypeOf, matchesJsonType } from './json-types.js';
import { compositeFailure } from './schema-errors.js';
import { checkArray, checkObjectSize } from './schema-list-checks.js';
import { checkEnum, checkNumber, checkString } from './schema-value-checks.js';

/** One node of an OpenAPI v3 schema as a CRD holds it (JSON, read defensively). */
export type JsonSchemaProps = Record<string, unknown>;

const maxErrors = 100;
const maxDepth = 128;
const schemaTypes = ['object', 'array', 'string', 'integer', 'number', 'boolean'];
// Checked by the API server as ObjectMeta and TypeMeta, not by the CRD's schema.
const rootSkipped = new Set(['metadata', 'apiVersion', 'kind']);

/** Errors of `value` against `schema`; `path` is '' for a whole object. At most 100 are reported. */
export function validateAgainstSchema(schema: JsonSchemaProps, value: unknown, path: string): FieldError[] {
  const walk = new SchemaWalk(maxErrors);
  walk.check(schema, value, path, 0);
  return walk.errors;
}

class SchemaWalk {
  readonly errors: FieldError[] = [];

  constructor(private readonly limit: number) {}

  private get full(): boolean {
    return this.errors.length >= this.limit;
  }

  private add(errs: FieldError[]): void {
    for (const e of errs) if (!this.full) this.errors.push(e);
  }

  check(schema: unknown, value: unknown, path: string, depth: number): void {
    if (this.full || !isRecord(schema)) return;
    if (depth > maxDepth) {
      this.add([forbidden(path, `nests deeper than ${maxDepth} levels`)]);
      return;
    }
    const types = acceptedTypes(schema);
    if (value === null) {
      // null is a value only where the schema says nullable or leaves the type open.
      if (schema.nullable !== true && types) this.add([typeInvalid(path, 'null', types.join(' or '))]);
      return;
    }
    if (types && !types.some((type) => matchesJsonType(type, value))) {
      this.add([typeInvalid(path, jsonTypeOf(value), types.join(' or '))]);
      return;
    }
    if (schema['x-kubernetes-embedded-resource'] === true) this.checkEmbedded(value, path);
    if (typeof value === 'number') this.add(checkNumber(schema, value, path));
    else if (typeof value === 'string') this.add(checkString(schema, value, path));
    this.add(checkEnum(schema, value, path));
    this.checkJunctors(schema, value, path, depth);
    if (Array.isArray(value)) {
      this.add(checkArray(schema, value, path));
      value.forEach((item, i) => {
        this.check(schema.items, item, `${path}[${i}]`, depth + 1);
      });
    } else if (isRecord(value)) {
      this.add(checkObjectSize(schema, value, path));
      this.checkProperties(schema, value, path, depth);
    }
  }

  private checkProperties(
    schema: JsonSchemaProps,
    value: JsonSchemaProps,
    path: string,
    depth: number,
  ): void {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const atRoot = path === '';
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name !== 'string' || (atRoot && rootSkipped.has(name))) continue;
        if (!Object.hasOwn(value, name)) this.add([required(childPath(path, name))]);
      }
    }
    const additional = schema.additionalProperties;
    for (const [key, child] of Object.entries(value)) {
      if (atRoot && rootSkipped.has(key)) continue;
      if (Object.hasOwn(properties, key)) this.check(properties[key], child, childPath(path, key), depth + 1);
      // Map entries are named `path[key]`, as for metadata.labels.
      else if (isRecord(additional)) this.check(additional, child, `${path}[${key}]`, depth + 1);
      else if (additional === false) {
        const field = childPath(path, key);
        this.add([forbidden(field, `${field} in body is a forbidden property`)]);
      }
    }
  }

  /** An embedded object needs apiVersion and kind; its metadata, when set, is an object. */
  private checkEmbedded(value: unknown, path: string): void {
    if (!isRecord(value)) {
      this.add([typeInvalid(path, jsonTypeOf(value), 'object')]);
      return;
    }
    for (const key of ['apiVersion', 'kind']) {
      const field = value[key];
      const at = childPath(path, key);
      if (field === undefined || field === null || field === '')
        this.add([requiredBecause(at, 'must not be empty')]);
      else if (typeof field !== 'string') this.add([typeInvalid(at, jsonTypeOf(field), 'string')]);
    }
    const metadata = value.metadata;
    if (metadata !== undefined && !isRecord(metadata)) {
      this.add([typeInvalid(childPath(path, 'metadata'), jsonTypeOf(metadata), 'object')]);
    }
  }

  /** allOf, anyOf, oneOf and not: one error naming the rule, not the sub-schemas' own errors. */
  private checkJunctors(schema: JsonSchemaProps, value: unknown, path: string, depth: number): void {
    const passes = (sub: unknown) => {
      const walk = new SchemaWalk(1);
      walk.check(sub, value, path, depth + 1);
      return walk.errors.length === 0;
    };
    const allOf = schemaList(schema.allOf);
    const failed = allOf.filter((sub) => !passes(sub)).length;
    if (failed > 0) {
      const none = failed === allOf.length ? '. None validated' : '';
      this.add([compositeFailure(path, value, `must validate all the schemas (allOf)${none}`)]);
    }
    const anyOf = schemaList(schema.anyOf);
    if (anyOf.length > 0 && !anyOf.some(passes)) {
      this.add([compositeFailure(path, value, 'must validate at least one schema (anyOf)')]);
    }
    const oneOf = schemaList(schema.oneOf);
    const valid = oneOf.filter(passes).length;
    if (oneOf.length > 0 && valid !== 1) {
      const found = valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
      this.add([compositeFailure(path, value, `must validate one and only one schema (oneOf). ${found}`)]);
    }
    if (isRecord(schema.not) && passes(schema.not)) {
      this.add([compositeFailure(path, value, 'must not validate the schema (not)')]);
    }
  }
}

function schemaList(value: unknown): JsonSchemaProps[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The JSON types a schema admits, or undefined when it does not constrain the type. */
function acceptedTypes(schema: JsonSchemaProps): string[] | undefined {
  if (schema['x-kubernetes-int-or-string'] === true) return ['integer', 'string'];
  const type = schema.type;
  return typeof type === 'string' && schemaTypes.includes(type) ? [type] : undefined;
}
