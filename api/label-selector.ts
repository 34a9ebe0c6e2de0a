// Kubernetes label selectors in both of their forms: the string form of `?labelSelector=`
// (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors)
// and the metav1.LabelSelector object that Deployments, ReplicaSets and Jobs carry. Both compile
// to the same requirements, so a controller and the API server can never disagree on a match.
import { badRequest } from './errors.js';

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/** metav1.LabelSelectorOperator, plus the Gt/Lt that the string form also accepts (`a>1`). */
export type LabelOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const namePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const nameCharset =
  "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Why `key` is not a valid label key (k8s IsQualifiedName), or undefined when it is. */
export function validateLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (slash !== -1) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0) return 'prefix part must be non-empty';
    if (prefix.length > 253) return 'prefix part must be no more than 253 characters';
    if (!dnsSubdomain.test(prefix)) {
      return "prefix part must be a lowercase RFC 1123 subdomain: lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character";
    }
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!namePart.test(name)) return `name part must ${nameCharset}`;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is. Empty values are valid. */
export function validateLabelValue(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (value !== '' && !namePart.test(value)) return `a valid label value must be empty or ${nameCharset}`;
  return undefined;
}

function fail(problem: string): never {
  throw badRequest(`unable to parse requirement: ${problem}`);
}

function checkedRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const keyProblem = validateLabelKey(key);
  if (keyProblem) fail(`invalid label key ${JSON.stringify(key)}: ${keyProblem}`);
  const withValues = operator === 'In' || operator === 'NotIn';
  if (withValues && values.length === 0) fail(`for 'in', 'notin' operators, values set can't be empty`);
  if (!withValues && operator !== 'Gt' && operator !== 'Lt' && values.length > 0) {
    fail(`for 'exists', 'doesnotexist' operators, values set must be empty`);
  }
  for (const value of values) {
    const valueProblem = validateLabelValue(value);
    if (valueProblem) fail(`invalid label value ${JSON.stringify(value)}: ${valueProblem}`);
    if ((operator === 'Gt' || operator === 'Lt') && !/^-?\d+$/.test(value)) {
      fail(`for 'Gt', 'Lt' operators, the value must be an integer, got ${JSON.stringify(value)}`);
    }
  }
  return { key, operator, values: [...new Set(values)] };
}

// The lexer's symbols, longest first so that `!=` wins over `!` and `==` over `=`.
const symbols = ['!=', '==', '!', '=', '(', ')', ',', '>', '<'];
const delimiters = /[\s!=(),<>]/;

interface Token {
  text: string;
  identifier: boolean;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const symbol = symbols.find((s) => text.startsWith(s, i));
    if (symbol) {
      tokens.push({ text: symbol, identifier: false });
      i += symbol.length;
      continue;
    }
    let end = i;
    while (end < text.length && !delimiters.test(text[end]!)) end++;
    tokens.push({ text: text.slice(i, end), identifier: true });
    i = end;
  }
  return tokens;
}

/** A recursive-descent parser over the tokens; `requirement` is one comma-separated term. */
class RequirementParser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    if (this.tokens.length === 0) return requirements;
    for (;;) {
      requirements.push(this.requirement());
      const next = this.take();
      if (next === undefined) return requirements;
      if (next.text !== ',') fail(`found '${next.text}', expected: ',' or end of string`);
    }
  }

  private requirement(): LabelRequirement {
    if (this.peek()?.text === '!') {
      this.take();
      return checkedRequirement(this.identifier("after '!'"), 'DoesNotExist', []);
    }
    const key = this.identifier('label key');
    const op = this.peek();
    if (op === undefined || op.text === ',') return checkedRequirement(key, 'Exists', []);
    this.take();
    switch (op.text) {
      case '=':
      case '==':
        return checkedRequirement(key, 'In', [this.value()]);
      case '!=':
        return checkedRequirement(key, 'NotIn', [this.value()]);
      case '>':
        return checkedRequirement(key, 'Gt', [this.identifier('integer value')]);
      case '<':
        return checkedRequirement(key, 'Lt', [this.identifier('integer value')]);
      case 'in':
        return checkedRequirement(key, 'In', this.valueSet());
      case 'notin':
        return checkedRequirement(key, 'NotIn', this.valueSet());
      default:
        return fail(`found '${op.text}', expected: '=', '!=', '==', 'in', 'notin'`);
    }
  }

  /** `(a, b)`; an element may be empty, as in `in (a,)`, but the set may not. */
  private valueSet(): string[] {
    const open = this.take();
    if (open?.text !== '(') fail(`found '${open?.text ?? ''}', expected: '('`);
    if (this.peek()?.text === ')') {
      this.take();
      return [];
    }
    const values: string[] = [];
    for (;;) {
      values.push(this.value());
      const next = this.take();
      if (next?.text === ')') return values;
      if (next?.text !== ',') fail(`found '${next?.text ?? ''}', expected: ',' or ')'`);
    }
  }

  /** A value after `=`: an identifier, or empty when the term ends there (`a=` selects empty). */
  private value(): string {
    const next = this.peek();
    if (next === undefined || next.text === ',' || next.text === ')') return '';
    return this.identifier('value');
  }

  private identifier(what: string): string {
    const next = this.take();
    if (next === undefined || !next.identifier) fail(`found '${next?.text ?? ''}', expected: ${what}`);
    return next.text;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private take(): Token | undefined {
    return this.tokens[this.at++];
  }
}

/** The requirements of a selector string; an empty string has none and selects everything. */
export function parseLabelRequirements(text: string): LabelRequirement[] {
  return new RequirementParser(tokenize(text)).parseAll();
}

/** Compile a selector string (`a=b,c!=d,e in (f,g),!h,i`); throws ApiError BadRequest. */
export function parseLabelSelector(text: string): LabelMatcher {
  return matcherFor(parseLabelRequirements(text));
}

/**
 * Compile a metav1.LabelSelector. Following LabelSelectorAsSelector, an absent selector
 * selects nothing and an empty one (`{}`) selects everything.
 */
export function labelSelectorMatcher(selector: LabelSelector | undefined): LabelMatcher {
  if (selector === undefined) return () => false;
  const requirements = Object.entries(selector.matchLabels ?? {}).map(([key, value]) =>
    checkedRequirement(key, 'In', [value]),
  );
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator)) {
      fail(`${JSON.stringify(operator)} is not a valid label selector operator`);
    }
    requirements.push(checkedRequirement(key, operator as LabelOperator, values));
  }
  return matcherFor(requirements);
}

export function matchesRequirement(requirement: LabelRequirement, labels: Record<string, string>): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key] ?? '';
  switch (requirement.operator) {
    case 'In':
      return present && requirement.values.includes(value);
    case 'NotIn':
      return !present || !requirement.values.includes(value);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      // As in k8s, a label whose value is not an integer never satisfies Gt or Lt.
      if (!present || !/^-?\d+$/.test(value)) return false;
      const bound = Number(requirement.values[0]);
      return requirement.operator === 'Gt' ? Number(value) > bound : Number(value) < bound;
    }
  }
}

function matcherFor(requirements: LabelRequirement[]): LabelMatcher {
  if (requirements.length === 0) return () => true;
  return (labels) => requirements.every((r) => matchesRequirement(r, labels ?? {}));
}
