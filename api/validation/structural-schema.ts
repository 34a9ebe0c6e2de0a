// What a CRD version's `schema.openAPIV3Schema` must satisfy to be accepted: a simplified form of
// Kubernetes' structural schema rules. Checked here:
// - the root is a schema object of type object;
// - outside allOf/anyOf/oneOf/not, every node has a type, one of object, array, string, integer,
//   number, boolean, unless it sets x-kubernetes-int-or-string, or (below the root)
//   x-kubernetes-preserve-unknown-fields or x-kubernetes-embedded-resource;
// - x-kubernetes-int-or-string leaves the type empty; x-kubernetes-embedded-resource needs type object;
// - properties are schema objects; additionalProperties is a boolean or a schema, and neither
//   false nor a schema next to properties;
// - an array has items, a single schema (not a list of schemas);
// - $ref is not set anywhere;
// - pattern compiles (as the ECMAScript RegExp custom-resource.ts will use);
// - required is a list of strings;
// - a default is valid against its own node (see custom-resource.ts);
// - x-kubernetes-list-type rules, in structural-list-type.ts;
// - inside allOf/anyOf/oneOf/not: no type, default, additionalProperties, nullable or
//   x-kubernetes-* flags, which only the structural part may carry;
// - at most 64 levels of nesting (beyond: one error, no deeper look).
// Not checked: the restrictions on metadata at the root, that junctor properties also appear in
// the structural part, and the type-specific meaning of keywords such as minimum on a string.
import { type FieldError, forbidden, invalidValue, notSupported, typeInvalid } from '../errors.js';
import { type JsonSchemaProps, validateAgainstSchema } from './custom-resource.js';
import { requiredBecause } from './field-errors.js';
import { isRecord } from './field-readers.js';
import { jsonTypeOf } from './json-types.js';
import { compilePattern } from './schema-pattern.js';
import { checkListType } from './structural-list-type.js';

const maxDepth = 64;
const schemaTypes = ['object', 'array', 'string', 'integer', 'number', 'boolean'];
const junctors = ['allOf', 'anyOf', 'oneOf'] as const;
// Only the structural part of a schema may say these; a junctor only adds value checks.
const structuralOnly = ['type', 'default', 'additionalProperties'];
const structuralFlags = [
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
];

type Level = 'root' | 'field' | 'item';

const emptyType: Record<Level, string> = {
  root: 'must not be empty at the root',
  field: 'must not be empty for specified object fields',
  item: 'must not be empty for specified array items',
};

export function validateStructuralSchema(schema: unknown, path: string): FieldError[] {
  if (!isRecord(schema)) return [typeInvalid(path, jsonTypeOf(schema), 'object')];
  const errs: FieldError[] = [];
  checkNode(errs, schema, path, 'root', 0, false);
  return errs;
}

function checkNode(
  errs: FieldError[],
  node: JsonSchemaProps,
  path: string,
  level: Level,
  depth: number,
  inJunctor: boolean,
): void {
  if (depth > maxDepth) {
    errs.push(forbidden(path, `must not nest more than ${maxDepth} levels`));
    return;
  }
  if (node.$ref !== undefined) errs.push(forbidden(`${path}.$ref`, 'must not be set'));
  if (inJunctor) checkJunctorNode(errs, node, path);
  else checkType(errs, node, path, level);
  if (typeof node.pattern === 'string') {
    const compiled = compilePattern(node.pattern);
    if (typeof compiled === 'string') {
      errs.push(
        invalidValue(
          `${path}.pattern`,
          node.pattern,
          `must be a valid regular expression, but isn't: ${compiled}`,
        ),
      );
    }
  }
  if (node.required !== undefined) checkRequired(errs, node.required, `${path}.required`);
  if (!inJunctor && node.default !== undefined) {
    errs.push(...validateAgainstSchema(node, node.default, `${path}.default`));
  }
  errs.push(...checkListType(node, path));
  checkChildren(errs, node, path, depth, inJunctor);
}

function checkType(errs: FieldError[], node: JsonSchemaProps, path: string, level: Level): void {
  const type = node.type;
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  const at = `${path}.type`;
  if (type === undefined || type === '') {
    if (level === 'root') errs.push(requiredBecause(at, emptyType.root));
    else if (embedded)
      errs.push(requiredBecause(at, 'must be object if x-kubernetes-embedded-resource is true'));
    else if (!intOrString && !preserve) errs.push(requiredBecause(at, emptyType[level]));
  } else if (typeof type !== 'string') {
    errs.push(typeInvalid(at, jsonTypeOf(type), 'string'));
  } else if (!schemaTypes.includes(type)) {
    errs.push(notSupported(at, type, schemaTypes));
  } else if (intOrString) {
    errs.push(forbidden(at, 'must be empty if x-kubernetes-int-or-string is true'));
  } else if (level === 'root' && type !== 'object') {
    errs.push(invalidValue(at, type, 'must be object at the root'));
  } else if (embedded && type !== 'object') {
    errs.push(invalidValue(at, type, 'must be object if x-kubernetes-embedded-resource is true'));
  }
  if (type === 'array' && node.items === undefined)
    errs.push(requiredBecause(`${path}.items`, 'must be specified'));
}

function checkJunctorNode(errs: FieldError[], node: JsonSchemaProps, path: string): void {
  for (const key of structuralOnly) {
    if (node[key] !== undefined) errs.push(forbidden(`${path}.${key}`, 'must be empty to be structural'));
  }
  for (const key of structuralFlags) {
    if (node[key] === true) errs.push(forbidden(`${path}.${key}`, 'must be false to be structural'));
  }
}

function checkRequired(errs: FieldError[], value: unknown, path: string): void {
  if (!Array.isArray(value)) {
    errs.push(typeInvalid(path, jsonTypeOf(value), 'array'));
    return;
  }
  value.forEach((name, i) => {
    if (typeof name !== 'string') errs.push(typeInvalid(`${path}[${i}]`, jsonTypeOf(name), 'string'));
  });
}

function checkChildren(
  errs: FieldError[],
  node: JsonSchemaProps,
  path: string,
  depth: number,
  inJunctor: boolean,
) {
  const child = (value: unknown, at: string, level: Level, junctor = inJunctor) => {
    if (isRecord(value)) checkNode(errs, value, at, level, depth + 1, junctor);
    else errs.push(typeInvalid(at, jsonTypeOf(value), 'object'));
  };
  const properties = node.properties;
  if (isRecord(properties)) {
    for (const [name, schema] of Object.entries(properties))
      child(schema, `${path}.properties[${name}]`, 'field');
  } else if (properties !== undefined) child(properties, `${path}.properties`, 'field');
  const additional = node.additionalProperties;
  const hasProperties = isRecord(properties) && Object.keys(properties).length > 0;
  if (hasProperties && (additional === false || isRecord(additional))) {
    errs.push(
      forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'),
    );
  }
  if (additional !== undefined && typeof additional !== 'boolean') {
    child(additional, `${path}.additionalProperties`, 'field');
  }
  const items = node.items;
  if (Array.isArray(items)) {
    errs.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  } else if (items !== undefined) child(items, `${path}.items`, 'item');
  for (const key of junctors) {
    const list = node[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) errs.push(typeInvalid(`${path}.${key}`, jsonTypeOf(list), 'array'));
    else {
      list.forEach((schema, i) => {
        child(schema, `${path}.${key}[${i}]`, 'field', true);
      });
    }
  }
  if (node.not !== undefined) child(node.not, `${path}.not`, 'field', true);
}
