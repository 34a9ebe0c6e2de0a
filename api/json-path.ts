// The JSONPath of kubectl and of CRD additionalPrinterColumns (`.spec.replicas`,
// `.status.conditions[?(@.type=="Ready")].status`, `{.spec.x}`), as far as printer columns use
// it: fields (`.name`, `['a.b']`, `\.` escapes a dot in a name), indexes (negative from the end),
// `[*]` and `.*` over array items or object values, and filters `[?(@.path)]`,
// `[?(@.path == <literal>)]`, `[?(@.path != <literal>)]` with a string or number literal.
// Not supported, and rejected with a reason: `..` (recursive descent), slices, unions, other
// filter operators, and templates with more than one `{}`.
import { parseSegments, type Segment } from './json-path-parser.js';
import { isRecord } from './validation/field-readers.js';

export type { Segment } from './json-path-parser.js';

export interface JsonPath {
  readonly text: string;
  readonly segments: readonly Segment[];
}

/** Throws an Error saying why `text` is not a JSONPath this module can evaluate. */
export function parseJsonPath(text: string): JsonPath {
  return { text, segments: parseSegments(text) };
}

/** Why `text` does not parse, or undefined when it does. */
export function jsonPathError(text: string): string | undefined {
  try {
    parseSegments(text);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Every value `path` selects in `value`, in document order; absent and null fields select nothing. */
export function evaluateJsonPath(path: JsonPath, value: unknown): unknown[] {
  let current: unknown[] = [value];
  for (const segment of path.segments) {
    const next: unknown[] = [];
    for (const item of current) step(segment, item, next);
    current = next;
  }
  return current;
}

function step(segment: Segment, value: unknown, out: unknown[]): void {
  switch (segment.kind) {
    case 'field': {
      const found = fieldOf(value, segment.name);
      if (found !== undefined && found !== null) out.push(found);
      return;
    }
    case 'index': {
      if (!Array.isArray(value)) return;
      const index = segment.index < 0 ? value.length + segment.index : segment.index;
      if (index >= 0 && index < value.length) out.push(value[index]);
      return;
    }
    case 'wildcard':
      if (Array.isArray(value)) out.push(...value);
      else if (isRecord(value)) out.push(...Object.values(value));
      return;
    case 'filter':
      if (Array.isArray(value)) for (const item of value) if (passes(segment, item)) out.push(item);
      return;
  }
}

function passes(filter: Extract<Segment, { kind: 'filter' }>, item: unknown): boolean {
  let found: unknown = item;
  for (const name of filter.path) found = fieldOf(found, name);
  if (found === undefined || found === null) return false;
  if (filter.op === undefined) return true;
  const equal = found === filter.literal;
  return filter.op === '==' ? equal : !equal;
}

function fieldOf(value: unknown, name: string): unknown {
  return isRecord(value) && Object.hasOwn(value, name) ? value[name] : undefined;
}
