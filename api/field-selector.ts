// Kubernetes field selectors (`?fieldSelector=metadata.name=x,status.phase!=Running`), after
// k8s.io/apimachinery/pkg/fields: terms joined by unescaped commas, operators `=`, `==`, `!=`,
// and `\` escaping `\`, `,` and `=` inside values (see escapeFieldValue). Which keys a kind
// supports is the API server's business; here a key is simply a dotted path into the object.
import { badRequest } from './errors.js';

export interface FieldRequirement {
  key: string;
  /** `==` is normalised to `=`. */
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
  matches(object: unknown): boolean;
}

// Selectable fields that are not plain paths, as in kube-apiserver's per-kind field sets
// (core/v1 Event exposes `source` as source.component).
const computedFields: Record<string, string> = { source: 'source.component' };

/** Escape a value for use in a field selector, as fields.EscapeValue does. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** The value a selector compares for `key`: missing fields are '', non-strings go through String(). */
export function fieldValue(object: unknown, key: string): string {
  let current: unknown = object;
  for (const part of (computedFields[key] ?? key).split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined || current === null ? '' : String(current);
}

/** Compile a field selector; an empty string selects everything. Throws ApiError BadRequest. */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements = splitUnescaped(text, ',')
    .filter((term) => term !== '')
    .map((term) => parseTerm(text, term));
  return {
    requirements,
    matches: (object) =>
      requirements.every((r) => (fieldValue(object, r.key) === r.value) === (r.operator === '=')),
  };
}

function parseTerm(selector: string, term: string): FieldRequirement {
  const found = findOperator(term);
  if (!found) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
  const key = term.slice(0, found.index).trim();
  if (key === '' || /[\s\\]/.test(key)) {
    throw badRequest(`invalid field selector: invalid field key ${JSON.stringify(key)} in '${term}'`);
  }
  const operator = found.operator === '!=' ? '!=' : '=';
  return { key, operator, value: unescapeValue(term.slice(found.index + found.operator.length)) };
}

/** The first unescaped operator of a term; `!=` and `==` are tried before `=` at each position. */
function findOperator(term: string): { index: number; operator: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    const operator = ['!=', '==', '='].find((op) => term.startsWith(op, i));
    if (operator) return { index: i, operator };
  }
  return undefined;
}

/** Split on `separator` where it is not escaped; escapes are kept for unescapeValue. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unescapeValue(raw: string): string {
  let value = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next !== '\\' && next !== ',' && next !== '=') {
        throw badRequest(
          `invalid field selector: invalid escape sequence '\\${next ?? ''}' in value '${raw}'`,
        );
      }
      value += next;
      i++;
    } else if (c === '=') {
      throw badRequest(`invalid field selector: unescaped '=' in value '${raw}'; escape it as '\\='`);
    } else {
      value += c;
    }
  }
  return value;
}
