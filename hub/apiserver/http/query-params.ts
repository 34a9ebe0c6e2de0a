// Typed query parameters. A value that does not parse is a 400 naming the parameter, in the
// `field: Invalid value: "x": why` shape of kube's field errors, never a silent default.
import { badRequest } from '../../../api/errors.js';

// Go's strconv.ParseBool, which kube's clients write and its servers read: the Python client
// sends `watch=True`, client-go `watch=true`, curl users `watch=1`.
const trueWords = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const falseWords = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** 400 naming a query parameter and why its value is refused. */
export function invalidParam(name: string, raw: string, why: string): never {
  throw badRequest(`${name}: Invalid value: ${JSON.stringify(raw)}: ${why}`);
}

/**
 * A boolean parameter; undefined when absent. A bare `?watch` (empty value) is true, as
 * kube-apiserver's query conversion reads it.
 */
export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw === '' || trueWords.has(raw)) return true;
  if (falseWords.has(raw)) return false;
  return invalidParam(
    name,
    raw,
    'must be a boolean: one of 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False',
  );
}

/**
 * A decimal integer parameter within [min, max]; undefined when absent or empty. Integers past
 * 2^53 are refused rather than rounded.
 */
export function intParam(
  query: URLSearchParams,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) return invalidParam(name, raw, 'must be an integer');
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n > max)
    return invalidParam(name, raw, `must be less than or equal to ${max}`);
  if (n < min) return invalidParam(name, raw, `must be greater than or equal to ${min}`);
  return n;
}
