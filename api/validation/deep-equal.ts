// Structural equality of JSON values for immutability rules. Absent, null, empty list and
// empty map compare equal, because after a JSON round trip with `omitempty` kube cannot tell
// them apart either.
import { isRecord } from './field-readers.js';

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return changedPaths(a, b, '', 1).length === 0;
}

/** Paths (`.containers[0].ports`) at which `b` differs from `a`, at most `limit` of them. */
export function changedPaths(a: unknown, b: unknown, path = '', limit = 20): string[] {
  const out: string[] = [];
  collect(a, b, path, out, limit);
  return out;
}

function collect(a: unknown, b: unknown, path: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  if (isEmpty(a) && isEmpty(b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(path);
      return;
    }
    a.forEach((item, i) => {
      collect(item, b[i], `${path}[${i}]`, out, limit);
    });
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) collect(a[key], b[key], `${path}.${key}`, out, limit);
    return;
  }
  if (a !== b) out.push(path);
}
