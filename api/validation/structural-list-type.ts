// x-kubernetes-list-type in a CRD schema: atomic, set or map, on arrays only; a map names its
// keys in x-kubernetes-list-map-keys, each a scalar property of the (object) items that is
// required or defaulted, so every item has an identity. Only a map may name keys.
import { duplicate, type FieldError, forbidden, invalidValue, notSupported, typeInvalid } from '../errors.js';
import type { JsonSchemaProps } from './custom-resource.js';
import { requiredBecause } from './field-errors.js';
import { isRecord } from './field-readers.js';
import { jsonTypeOf } from './json-types.js';

const listTypes = ['atomic', 'set', 'map'];
const scalarTypes = ['string', 'integer', 'number', 'boolean'];

export function checkListType(node: JsonSchemaProps, path: string): FieldError[] {
  const listType = node['x-kubernetes-list-type'];
  const keysAt = `${path}.x-kubernetes-list-map-keys`;
  const keys = node['x-kubernetes-list-map-keys'];
  if (listType === undefined) {
    return keys === undefined
      ? []
      : [forbidden(keysAt, 'must be empty if x-kubernetes-list-type is not map')];
  }
  const at = `${path}.x-kubernetes-list-type`;
  if (typeof listType !== 'string' || !listTypes.includes(listType))
    return [notSupported(at, listType, listTypes)];
  const errs: FieldError[] = [];
  if (node.type !== 'array') errs.push(invalidValue(at, listType, 'must only be used if type is array'));
  if (listType !== 'map') {
    if (keys !== undefined)
      errs.push(forbidden(keysAt, 'must be empty if x-kubernetes-list-type is not map'));
    return errs;
  }
  if (!Array.isArray(keys) || keys.length === 0) {
    if (keys !== undefined && !Array.isArray(keys)) errs.push(typeInvalid(keysAt, jsonTypeOf(keys), 'array'));
    else errs.push(requiredBecause(keysAt, 'must not be empty if x-kubernetes-list-type is map'));
    return errs;
  }
  const items = isRecord(node.items) ? node.items : {};
  if (items.type !== 'object') {
    errs.push(
      invalidValue(`${path}.items.type`, items.type ?? '', 'must be object if x-kubernetes-list-type is map'),
    );
  }
  errs.push(...checkMapKeys(items, keys, keysAt));
  return errs;
}

function checkMapKeys(items: JsonSchemaProps, keys: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const properties = isRecord(items.properties) ? items.properties : {};
  const required = Array.isArray(items.required) ? items.required : [];
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    const at = `${path}[${i}]`;
    if (typeof key !== 'string') {
      errs.push(typeInvalid(at, jsonTypeOf(key), 'string'));
      return;
    }
    if (seen.has(key)) errs.push(duplicate(at, key));
    seen.add(key);
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (!isRecord(property)) {
      errs.push(invalidValue(at, key, 'must be the name of a property of the items'));
      return;
    }
    if (typeof property.type === 'string' && !scalarTypes.includes(property.type)) {
      errs.push(invalidValue(at, key, 'must name a scalar property of the items'));
    }
    if (!required.includes(key) && property.default === undefined) {
      errs.push(invalidValue(at, key, 'must be a required property of the items or have a default'));
    }
  });
  return errs;
}
