// OpenAPI `pattern` as ECMAScript regular expressions (the CRD schema language is OpenAPI, whose
// patterns are ECMA 262), compiled once per schema object. Unanchored, as the spec says.

const compiled = new WeakMap<object, RegExp | string>();

/** The schema's pattern compiled, or the reason it does not compile. */
export function schemaPattern(schema: object, pattern: string): RegExp | string {
  let found = compiled.get(schema);
  if (found === undefined) {
    found = compilePattern(pattern);
    compiled.set(schema, found);
  }
  return found;
}

/** No flags: the widest ECMAScript syntax (Annex B), the closest to what CRD authors write. */
export function compilePattern(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
