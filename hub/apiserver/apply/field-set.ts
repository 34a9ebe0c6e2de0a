// Sets of fields, as managedFields records them (`fieldsType: FieldsV1`): a tree whose keys are
// `f:<field>` (a field of a struct or map), `k:{"name":"web"}` (the item of a list map with
// these key values), `v:<json>` (an item of a set) and `.` (the item or map itself). A member
// of the set is a path that ends in a leaf (`{}`). The operations here work on member paths.
import { isDeepStrictEqual } from 'node:util';
import { isRecord } from '../../../api/validation/field-readers.js';
import type { Schema } from '../openapi/schema-builders.js';
import { childSchema, type FieldShape, shapeOf } from './field-shapes.js';

export type FieldSet = { [element: string]: FieldSet };
export type FieldPath = readonly string[];

type Json = Record<string, unknown>;

/** Fields TypeMeta and the server own, never counted as anybody's. */
const unowned = new Set(['apiVersion', 'kind']);
const serverMeta = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

/** The fields an object (or applied configuration) sets, by the kind's schema. */
export function fieldSetOf(obj: Json, schema: Schema): FieldSet {
  const set: FieldSet = {};
  const shape = shapeOf(schema);
  for (const [key, value] of Object.entries(obj)) {
    if (unowned.has(key) || value === undefined || value === null) continue;
    if (key === 'metadata' && isRecord(value)) {
      const meta = fieldsOfValue(
        Object.fromEntries(Object.entries(value).filter(([k]) => !serverMeta.has(k))),
        childSchema(shape, key),
        false,
      );
      if (Object.keys(meta).length > 0) set['f:metadata'] = meta;
      continue;
    }
    set[`f:${key}`] = fieldsOfValue(value, childSchema(shape, key), false);
  }
  return set;
}

function fieldsOfValue(value: unknown, schema: Schema | undefined, item: boolean): FieldSet {
  const shape = shapeOf(schema);
  const set: FieldSet = item ? { '.': {} } : {};
  if ((shape.kind === 'struct' || shape.kind === 'map') && isRecord(value)) {
    if (shape.kind === 'map' && !item && Object.keys(value).length > 0) set['.'] = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      set[`f:${key}`] = fieldsOfValue(child, childSchema(shape, key), false);
    }
    return set;
  }
  if (shape.kind === 'listMap' && Array.isArray(value)) {
    for (const element of value) {
      if (isRecord(element)) set[itemKey(shape, element)] = fieldsOfValue(element, shape.items, true);
    }
    return set;
  }
  if (shape.kind === 'set' && Array.isArray(value)) {
    for (const element of value) set[`v:${JSON.stringify(element)}`] = {};
    return set;
  }
  return set;
}

/** `k:{"containerPort":80,"protocol":"TCP"}`: the item's key fields, sorted by name. */
export function itemKey(shape: Extract<FieldShape, { kind: 'listMap' }>, item: Json): string {
  const keys = [...shape.keys].sort();
  return `k:${JSON.stringify(Object.fromEntries(keys.map((k) => [k, item[k]])))}`;
}

/** Every member path of a set. */
export function members(set: FieldSet, prefix: string[] = [], out: string[][] = []): string[][] {
  for (const [element, below] of Object.entries(set)) {
    const path = [...prefix, element];
    if (Object.keys(below).length === 0) out.push(path);
    else members(below, path, out);
  }
  return out;
}

export function fromMembers(paths: readonly FieldPath[]): FieldSet {
  const set: FieldSet = {};
  for (const path of paths) {
    let node = set;
    for (const element of path) {
      node[element] ??= {};
      node = node[element]!;
    }
  }
  return set;
}

const encode = (path: FieldPath) => path.join('\u0000');

export function union(a: FieldSet, b: FieldSet): FieldSet {
  return fromMembers([...members(a), ...members(b)]);
}

/** Members of `a` that are not members of `b`. */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const drop = new Set(members(b).map(encode));
  return fromMembers(members(a).filter((path) => !drop.has(encode(path))));
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const keep = new Set(members(b).map(encode));
  return fromMembers(members(a).filter((path) => keep.has(encode(path))));
}

/** Whether `path` is a member of `set` (ends in one of its leaves). */
export function hasMember(set: FieldSet, path: FieldPath): boolean {
  let node: FieldSet | undefined = set;
  for (const element of path) {
    node = node[element];
    if (node === undefined) return false;
  }
  return Object.keys(node).length === 0;
}

export function isEmpty(set: FieldSet): boolean {
  return Object.keys(set).length === 0;
}

/** The value at a member path of `obj` (undefined when absent). */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let at: unknown = obj;
  for (const element of path) {
    if (element === '.') return at;
    at = child(at, element);
    if (at === undefined) return undefined;
  }
  return at;
}

function child(container: unknown, element: string): unknown {
  if (element.startsWith('f:')) return isRecord(container) ? container[element.slice(2)] : undefined;
  if (!Array.isArray(container)) return undefined;
  if (element.startsWith('k:')) {
    const key = parseJson(element.slice(2));
    return isRecord(key) ? container.find((item) => matchesKey(item, key)) : undefined;
  }
  if (element.startsWith('v:')) {
    const value = parseJson(element.slice(2));
    return container.find((item) => isDeepStrictEqual(item, value));
  }
  return undefined;
}

function matchesKey(item: unknown, key: Json): boolean {
  return isRecord(item) && Object.entries(key).every(([k, v]) => isDeepStrictEqual(item[k], v));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Removes the field (or item) at a member path from `obj`, which the caller owns. */
export function removeAt(obj: Json, path: FieldPath): void {
  const target = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  if (target.length === 0) return;
  const parent = valueAt(obj, target.slice(0, -1));
  const last = target[target.length - 1]!;
  if (last.startsWith('f:')) {
    if (isRecord(parent)) delete parent[last.slice(2)];
    return;
  }
  if (!Array.isArray(parent)) return;
  const doomed = child(parent, last);
  const index = parent.indexOf(doomed);
  if (doomed !== undefined && index >= 0) parent.splice(index, 1);
}
