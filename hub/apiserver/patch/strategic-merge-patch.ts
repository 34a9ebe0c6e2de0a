// Strategic merge patch, the `application/strategic-merge-patch+json` flavour that client-side
// `kubectl apply`, `kubectl edit`, `kubectl set image` and plain `kubectl patch` send.
// Semantics follow the Kubernetes design doc "strategic-merge-patch.md": maps merge and a null
// deletes a key; lists declared `patchStrategy:"merge"` (see patch-strategies.ts) merge element
// by element on their merge key, or as a set for primitives; every other list is replaced.
// Directives: `$patch` (replace | merge | delete), `$retainKeys`,
// `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`. None reach the result.
import { ApiError, badRequest } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';
import { describeJson, isJsonObject, type JsonObject, setField } from './merge-patch.js';
import {
  type FieldStrategy,
  type KindStrategies,
  patchStrategiesFor,
  strategyAt,
} from './patch-strategies.js';

const patchKey = '$patch';
const retainKeysKey = '$retainKeys';
const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';

/** Applies a strategic merge patch to `original` (left untouched) using the merge table of `kind`. */
export function applyStrategicMergePatch(original: KubeObject, patch: unknown, kind: string): KubeObject {
  if (!isJsonObject(patch)) {
    throw badRequest(`strategic merge patch body must be a JSON object, got ${describeJson(patch)}`);
  }
  return mergeMap(structuredClone(original), patch, '', patchStrategiesFor(kind)) as KubeObject;
}

/** Merges `patch` into `target`, which this module owns and may mutate. */
function mergeMap(target: JsonObject, patch: JsonObject, path: string, table: Table): JsonObject {
  const directive = patch[patchKey];
  if (directive === 'replace') return mergeMap({}, withoutPatchKey(patch), path, table);
  // The design doc: a map carrying `$patch: delete` is emptied.
  if (directive === 'delete') return {};
  if (directive !== undefined && directive !== 'merge') {
    throw badRequest(`${at(path)}: unknown $patch directive ${JSON.stringify(directive)}`);
  }
  retainKeys(target, patch, path);
  const orders = new Map<string, unknown[]>();
  // Directives first: `$deleteFromPrimitiveList` applies to the stored list before additions.
  for (const [key, value] of Object.entries(patch)) {
    if (key === patchKey || key === retainKeysKey) continue;
    if (key.startsWith(setElementOrderPrefix)) {
      orders.set(key.slice(setElementOrderPrefix.length), requireList(value, key, path));
    } else if (key.startsWith(deleteFromPrimitiveListPrefix)) {
      const field = key.slice(deleteFromPrimitiveListPrefix.length);
      const doomed = requireList(value, key, path);
      const current = target[field];
      if (Array.isArray(current)) {
        setField(
          target,
          field,
          current.filter((item) => !doomed.includes(item)),
        );
      }
    } else if (key.startsWith('$')) {
      throw badRequest(`${at(path)}: unknown strategic merge patch directive ${JSON.stringify(key)}`);
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = Object.hasOwn(target, key) ? target[key] : undefined;
    setField(target, key, mergeValue(current, value, join(path, key), table, orders.get(key)));
  }
  // kubectl apply sends `$setElementOrder` alone when only the order of a list changed.
  for (const [key, order] of orders) {
    const strategy = strategyAt(table, join(path, key));
    const current = target[key];
    if (Object.hasOwn(patch, key) || !strategy?.merge || !Array.isArray(current)) continue;
    setField(target, key, orderElements(current, current, order, strategy.mergeKey, join(path, key)));
  }
  return target;
}

type Table = KindStrategies | undefined;

function mergeValue(
  current: unknown,
  value: unknown,
  path: string,
  table: Table,
  order?: unknown[],
): unknown {
  if (isJsonObject(value)) return mergeMap(isJsonObject(current) ? current : {}, value, path, table);
  if (!Array.isArray(value)) return value;
  const strategy = strategyAt(table, path);
  if (!strategy?.merge) return replaceList(value, path, table);
  const merged = mergeList(Array.isArray(current) ? current : [], value, path, strategy, table);
  if (merged.replaced || order === undefined) return merged.items;
  return orderElements(merged.items, Array.isArray(current) ? current : [], order, strategy.mergeKey, path);
}

/** An atomic list: the patch's elements, with directives processed so none are stored. */
function replaceList(value: unknown[], path: string, table: Table): unknown[] {
  return value
    .filter((item) => !(isJsonObject(item) && (isListMarker(item) || item[patchKey] === 'delete')))
    .map((item) => mergeValue(undefined, item, path, table));
}

/** `{"$patch": "replace"}` as a list element: the list replaces the stored one. */
function isListMarker(item: JsonObject): boolean {
  return Object.keys(item).length === 1 && Object.hasOwn(item, patchKey);
}

function mergeList(
  current: unknown[],
  patch: unknown[],
  path: string,
  strategy: FieldStrategy,
  table: Table,
): { items: unknown[]; replaced: boolean } {
  if (patch.some((item) => isJsonObject(item) && isListMarker(item))) {
    if (patch.some((item) => isJsonObject(item) && isListMarker(item) && item[patchKey] !== 'replace')) {
      throw badRequest(`${at(path)}: a list element holding only $patch must be {"$patch": "replace"}`);
    }
    return { items: replaceList(patch, path, table), replaced: true };
  }
  const key = strategy.mergeKey;
  if (key === undefined) return { items: unionPrimitives(current, patch, path), replaced: false };
  const items = [...current];
  patch.forEach((element, index) => {
    if (!isJsonObject(element)) {
      throw badRequest(`${at(path)}: element ${index} must be an object, got ${describeJson(element)}`);
    }
    const id = element[key];
    if (id === undefined || id === null) {
      throw badRequest(`${at(path)}: element ${index} does not contain the merge key "${key}"`);
    }
    const matches = (item: unknown) => isJsonObject(item) && item[key] === id;
    if (element[patchKey] === 'delete') {
      // Every stored element with that key goes, as in the design doc's "$patch: delete" for lists.
      items.splice(0, items.length, ...items.filter((item) => !matches(item)));
      return;
    }
    const match = items.findIndex(matches);
    if (match >= 0) {
      items[match] = mergeMap(items[match] as JsonObject, element, path, table);
    } else {
      items.push(mergeMap({}, element, path, table));
    }
  });
  return { items, replaced: false };
}

/** `patchStrategy:"merge"` without a merge key (finalizers): the stored values plus new ones. */
function unionPrimitives(current: unknown[], patch: unknown[], path: string): unknown[] {
  const items = [...current];
  for (const value of patch) {
    if (typeof value === 'object' && value !== null) {
      throw badRequest(`${at(path)}: a merged list of primitives cannot hold ${describeJson(value)}`);
    }
    if (!items.includes(value)) items.push(value);
  }
  return items;
}

/**
 * `$setElementOrder/<field>`: elements the directive names come in its order; the others (stored
 * elements the client does not know about) are interleaved by their stored position, which is how
 * kube-apiserver merges the two sorted runs. Elements new to the store sort after stored ones.
 */
function orderElements(
  items: unknown[],
  stored: unknown[],
  order: unknown[],
  mergeKey: string | undefined,
  path: string,
): unknown[] {
  const identify = (item: unknown): unknown =>
    mergeKey === undefined ? item : isJsonObject(item) ? item[mergeKey] : undefined;
  const rank = new Map<unknown, number>();
  order.forEach((entry, index) => {
    const id = identify(entry);
    if (id === undefined || id === null || typeof id === 'object') {
      const expected = mergeKey ? `an object with the merge key "${mergeKey}"` : 'a primitive';
      throw badRequest(`${at(path)}: $setElementOrder entry ${index} must be ${expected}`);
    }
    if (!rank.has(id)) rank.set(id, index);
  });
  const storedAt = new Map<unknown, number>();
  stored.forEach((item, index) => {
    if (!storedAt.has(identify(item))) storedAt.set(identify(item), index);
  });
  const position = (item: unknown) => storedAt.get(identify(item)) ?? Number.POSITIVE_INFINITY;
  const named = items
    .filter((item) => rank.has(identify(item)))
    .sort((a, b) => rank.get(identify(a))! - rank.get(identify(b))!);
  const others = items.filter((item) => !rank.has(identify(item)));
  const result: unknown[] = [];
  while (named.length > 0 && others.length > 0) {
    result.push(position(named[0]) <= position(others[0]) ? named.shift() : others.shift());
  }
  return [...result, ...named, ...others];
}

function retainKeys(target: JsonObject, patch: JsonObject, path: string): void {
  if (!Object.hasOwn(patch, retainKeysKey)) return;
  const keep = patch[retainKeysKey];
  if (!Array.isArray(keep) || !keep.every((k) => typeof k === 'string')) {
    throw badRequest(`${at(path)}: $retainKeys must be a list of field names`);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (!key.startsWith('$') && value !== null && !keep.includes(key)) {
      // kube-apiserver answers 422 when the patch sets a field its own $retainKeys drops.
      throw new ApiError('Invalid', `${at(path)}: field "${key}" is set but not listed in $retainKeys`);
    }
  }
  for (const key of Object.keys(target)) if (!keep.includes(key)) delete target[key];
}

function requireList(value: unknown, directive: string, path: string): unknown[] {
  if (!Array.isArray(value)) {
    throw badRequest(`${at(path)}: ${directive} must be a list, got ${describeJson(value)}`);
  }
  return value;
}

function withoutPatchKey(patch: JsonObject): JsonObject {
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(patch)) if (key !== patchKey) setField(rest, key, value);
  return rest;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function at(path: string): string {
  return path ? `strategic merge patch at ${path}` : 'strategic merge patch';
}
