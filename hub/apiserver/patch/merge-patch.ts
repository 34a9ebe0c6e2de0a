// JSON merge patch (RFC 7386), the `application/merge-patch+json` flavour that
// `kubectl label`, `kubectl annotate` and `kubectl patch --type=merge` send.
import { badRequest } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/types.js';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets an own property even for the key `__proto__`, which a JSON body may legitimately carry
 * (a ConfigMap data key, say); plain assignment would change the prototype instead.
 */
export function setField(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies an RFC 7386 merge patch to `original`, returning a new object. */
export function applyMergePatch(original: KubeObject, patch: unknown): KubeObject {
  if (!isJsonObject(patch)) {
    throw badRequest(`merge patch body must be a JSON object, got ${describeJson(patch)}`);
  }
  return mergeValue(original, patch) as KubeObject;
}

// RFC 7386 section 2, MergePatch(Target, Patch): a patch object merges member by member
// (null removes a member, a missing target becomes {}); any other patch value replaces.
function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const base = isJsonObject(target) ? target : {};
  const result: JsonObject = {};
  // Walk the target first so untouched members keep their order.
  for (const [key, value] of Object.entries(base)) {
    if (!Object.hasOwn(patch, key)) setField(result, key, structuredClone(value));
    else if (patch[key] !== null) setField(result, key, mergeValue(value, patch[key]));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value !== null && !Object.hasOwn(base, key)) setField(result, key, mergeValue(undefined, value));
  }
  return result;
}

/** 'an array', 'a string', 'null': for error messages about the shape of a body. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
