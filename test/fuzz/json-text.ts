// JSON text the way a hostile client can write it and JSON.stringify cannot: raw number tokens
// (1e999, 30-digit integers, -0) and duplicated keys. Values are plain JSON data plus RawJson.

/** A token written verbatim into the JSON text. */
export class RawJson {
  constructor(readonly text: string) {}
}

export interface JsonTextOptions {
  /**
   * Writes one key of the n-th object (depth-first, 0 = the top level) twice: first with
   * `value`, then with the real one (Go's encoding/json and JSON.parse both keep the last).
   */
  duplicate?: { objectIndex: number; value: unknown; first: boolean };
}

export function jsonText(value: unknown, options: JsonTextOptions = {}): string {
  let objects = 0;
  const write = (v: unknown): string => {
    if (v instanceof RawJson) return v.text;
    if (v === null || typeof v !== 'object') {
      // Non-finite numbers and undefined have no JSON form: JSON.stringify writes null for them.
      return JSON.stringify(v) ?? 'null';
    }
    if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
    const index = objects++;
    const entries = Object.entries(v as Record<string, unknown>).map(
      ([k, item]) => `${JSON.stringify(k)}:${write(item)}`,
    );
    const dup = options.duplicate;
    if (dup && dup.objectIndex === index) {
      const key = Object.keys(v as object)[0] ?? 'dup';
      const extra = `${JSON.stringify(key)}:${write(dup.value)}`;
      if (dup.first) entries.unshift(extra);
      else entries.push(extra);
    }
    return `{${entries.join(',')}}`;
  };
  return write(value);
}

/** Counts the objects in a value, for picking a duplicate-key target. */
export function countObjects(value: unknown): number {
  if (value === null || typeof value !== 'object' || value instanceof RawJson) return 0;
  const children = Array.isArray(value) ? value : Object.values(value as object);
  return (Array.isArray(value) ? 0 : 1) + children.reduce((n: number, c) => n + countObjects(c), 0);
}
