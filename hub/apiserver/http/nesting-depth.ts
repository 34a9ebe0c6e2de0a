// How deep a request body may nest objects and arrays. Everything after decoding (copies,
// defaulting, validation, merge patches, the store's freezing) walks objects recursively, and
// JSON nested 2,000 deep overflowed the stack (a 500). Kubernetes' JSON decoder stops at 10,000
// levels, its CBOR decoder at 64 ("observed depth up to 16 in fuzzed batch/v1 CronJobList");
// Flotilla serves only built-in kinds, whose schemas nest about 20 levels at most, so it takes
// kube's 64 for every encoding it decodes (JSON, YAML, protobuf).
import { type ApiError, badRequest } from '../../../api/errors.js';

export const maxNestingDepth = 64;

/** The 400 for a body nested past the limit. */
export function tooDeep(encoding: string): ApiError {
  return badRequest(
    `the body of the request is not valid ${encoding}: exceeded max depth: objects and arrays may nest at most ${maxNestingDepth} levels`,
  );
}

/**
 * Scans JSON text without parsing it, so a deep body is refused before any recursion or
 * allocation. Brackets inside strings do not count.
 */
export function checkJsonTextDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character, which may be a quote.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxNestingDepth) throw tooDeep('JSON');
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
}

// The YAML parser recurses per flow collection: 100,000 nested `[` took it 2.2 s to overflow,
// 1,000,000 (a 2 MB body) killed the process in its regular-expression compiler. YAML text is not
// scanned exactly (quotes, comments and block scalars may hold brackets), so this guard only
// counts brackets and allows far more than the real limit, which the decoded value then gets.
const yamlBracketBound = 1024;

/** Refuses YAML text whose brackets alone nest past any plausible document, before parsing. */
export function checkYamlTextDepth(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      if (++depth > yamlBracketBound) throw tooDeep('YAML');
    } else if ((c === 0x7d || c === 0x5d) && depth > 0) {
      depth--;
    }
  }
}

/** The same bound on an already decoded value (YAML, protobuf), walked without recursion. */
export function checkValueDepth(value: unknown, encoding: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > maxNestingDepth) throw tooDeep(encoding);
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
}
