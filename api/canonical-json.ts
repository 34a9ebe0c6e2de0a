// A canonical JSON text for comparing and hashing values by content: object keys sorted by
// UTF-16 code units (the order RFC 8785 uses), no white space, everything else as JSON.stringify
// writes it (members whose value is undefined, a function or a symbol left out, such array items
// written as null, NaN and ±Infinity as null). The template hashes of Deployments, DaemonSets and
// StatefulSets, the agent's container hash, and the schema checks (`enum`, `uniqueItems`, list
// keys) all read values through it. Never throws, whatever it is given.

export interface CanonicalJsonOptions {
  /**
   * Leave out members that are null, or that are `{}` or `[]` once their own empty members are
   * left out: what a round trip through Go types with `omitempty` cannot tell from absent (the
   * pod-template-hash is computed over that form). Array items are kept.
   */
  omitEmpty?: boolean;
  /**
   * Put integer-like keys ("0", "42") first, in numeric order, then the others sorted: the order
   * a JavaScript object keeps, which the pod-template-hash has always been computed in (changing
   * it would change the hash of a template with such a label key, and roll its Deployment).
   */
  integerKeysFirst?: boolean;
}

type Walk = { omitEmpty: boolean; integerKeysFirst: boolean };

/** Nesting past this is not walked (API bodies stop at 64 levels long before). */
const maxDepth = 256;
let deepValues = 0;

export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  const walk = { omitEmpty: options.omitEmpty === true, integerKeysFirst: options.integerKeysFirst === true };
  return render(value, walk, 0) ?? '';
}

/** Whether two values have the same canonical JSON. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** The text, or undefined for what JSON leaves out. */
function render(value: unknown, walk: Walk, depth: number): string | undefined {
  if (depth > maxDepth) {
    // Too deep to compare: a fresh token, so such values never count as equal.
    deepValues += 1;
    return `"\\u0000deep${deepValues}"`;
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'object':
      return Array.isArray(value) ? renderArray(value, walk, depth) : renderObject(value, walk, depth);
    default:
      return undefined;
  }
}

function renderArray(items: unknown[], walk: Walk, depth: number): string {
  const parts = items.map((item) => render(item, walk, depth + 1) ?? 'null');
  return `[${parts.join(',')}]`;
}

function renderObject(object: object, walk: Walk, depth: number): string {
  const record = object as Record<string, unknown>;
  const parts: string[] = [];
  // Array.prototype.sort without a comparator orders strings by UTF-16 code units.
  const keys = Object.keys(record).sort();
  for (const key of walk.integerKeysFirst ? integersFirst(keys) : keys) {
    const member = record[key];
    const text = render(member, walk, depth + 1);
    if (text === undefined) continue;
    if (
      walk.omitEmpty &&
      (member === null || (typeof member === 'object' && (text === '{}' || text === '[]')))
    )
      continue;
    parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** Array-index keys (canonical integers below 2^32 - 1) first, ascending, then the rest as given. */
function integersFirst(sorted: string[]): string[] {
  const isIndex = (key: string) => /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4_294_967_295;
  const indices = sorted.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return indices.length === 0 ? sorted : [...indices, ...sorted.filter((key) => !isIndex(key))];
}
