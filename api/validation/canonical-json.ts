// A canonical text for JSON values (object keys sorted), so that `enum`, `uniqueItems` and
// `x-kubernetes-list-type` can compare values by content. Never throws, whatever it is given.

const maxDepth = 256;
let deepValues = 0;

export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > maxDepth) {
    // Too deep to compare: a fresh token, so such values never count as duplicates.
    deepValues += 1;
    return `\u0000deep${deepValues}`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  switch (typeof value) {
    case 'object': {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k], depth + 1)}`).join(',')}}`;
    }
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    default:
      // Not JSON (undefined, bigint, function, symbol): compared by type and text only.
      return `\u0000${typeof value}:${typeof value === 'symbol' ? value.toString() : String(value)}`;
  }
}

export function jsonEquals(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
