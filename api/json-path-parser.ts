// Parsing of the JSONPath subset described in json-path.ts into a list of steps. Errors are
// plain Errors whose message says what is wrong and where (1-based character position).

export type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; op?: '==' | '!='; literal?: string | number };

// Characters that end an unquoted field name (whitespace too).
const nameStops = new Set([
  '.',
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  "'",
  '"',
  '=',
  '!',
  '<',
  '>',
  '@',
  '$',
  '*',
  ',',
  '?',
]);
const numberLiteral = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;

class Scanner {
  pos = 0;
  end: number;

  constructor(readonly text: string) {
    this.end = text.length;
  }

  peek(ahead = 0): string | undefined {
    const at = this.pos + ahead;
    return at < this.end ? this.text[at] : undefined;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  fail(problem: string): never {
    throw new Error(`${problem} (at character ${Math.min(this.pos, this.end) + 1})`);
  }

  skipSpaces(): void {
    while (!this.done() && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected "${char}"`);
    this.pos++;
  }
}

export function parseSegments(text: string): Segment[] {
  const s = new Scanner(text);
  s.skipSpaces();
  while (s.end > s.pos && /\s/.test(text[s.end - 1] ?? '')) s.end--;
  if (s.peek() === '{') {
    if (text[s.end - 1] !== '}') s.fail('missing closing "}"');
    s.pos++;
    s.end--;
    s.skipSpaces();
    while (s.end > s.pos && /\s/.test(text[s.end - 1] ?? '')) s.end--;
  }
  if (s.done()) throw new Error('the path is empty');
  const first = s.peek();
  if (first === '$') s.pos++;
  else if (first !== '.' && first !== '[') s.fail('a path must start with ".", "[" or "$"');
  // A lone "." (or "$") is the whole object.
  if (s.peek() === '.' && s.pos + 1 === s.end) return [];
  const segments: Segment[] = [];
  while (!s.done()) segments.push(parseSegment(s));
  return segments;
}

function parseSegment(s: Scanner): Segment {
  const char = s.peek();
  if (char === '[') return parseBracket(s);
  if (char !== '.') {
    if (char === '{' || char === '}') s.fail('only one {} expression is supported');
    s.fail(`unexpected "${char}"`);
  }
  if (s.peek(1) === '.') s.fail('recursive descent ("..") is not supported');
  s.pos++;
  if (s.peek() === '*') {
    s.pos++;
    return { kind: 'wildcard' };
  }
  const name = readName(s);
  if (name === '') s.fail('expected a field name after "."');
  return { kind: 'field', name };
}

/** An unquoted field name; a backslash takes the next character as is (`a\.b`). */
function readName(s: Scanner): string {
  let name = '';
  while (!s.done()) {
    const char = s.peek() ?? '';
    if (char === '\\') {
      s.pos++;
      if (s.done()) s.fail('nothing to escape after "\\"');
      name += s.peek();
      s.pos++;
      continue;
    }
    if (nameStops.has(char) || /\s/.test(char)) break;
    name += char;
    s.pos++;
  }
  return name;
}

function readQuoted(s: Scanner): string {
  const quote = s.peek();
  s.pos++;
  let out = '';
  for (;;) {
    if (s.done()) s.fail(`missing closing ${quote}`);
    const char = s.peek() ?? '';
    s.pos++;
    if (char === quote) return out;
    if (char === '\\') {
      if (s.done()) s.fail(`missing closing ${quote}`);
      out += s.peek();
      s.pos++;
    } else out += char;
  }
}

function parseBracket(s: Scanner): Segment {
  s.pos++;
  s.skipSpaces();
  const char = s.peek();
  if (char === '?') return parseFilter(s);
  let segment: Segment;
  if (char === "'" || char === '"') segment = { kind: 'field', name: readQuoted(s) };
  else if (char === '*') {
    s.pos++;
    segment = { kind: 'wildcard' };
  } else segment = { kind: 'index', index: readIndex(s) };
  s.skipSpaces();
  if (s.peek() === ',') s.fail('unions are not supported');
  s.expect(']');
  return segment;
}

function readIndex(s: Scanner): number {
  const close = s.text.indexOf(']', s.pos);
  if (close < 0 || close >= s.end) s.fail('missing closing "]"');
  const body = s.text.slice(s.pos, close).trim();
  if (body.includes(':')) s.fail('slices are not supported');
  if (body.includes(',')) s.fail('unions are not supported');
  if (!/^-?\d+$/.test(body) || !Number.isSafeInteger(Number(body))) {
    s.fail(`${JSON.stringify(body)} is not an array index (quote field names: ['name'])`);
  }
  s.pos = close;
  return Number(body);
}

function parseFilter(s: Scanner): Segment {
  s.pos++;
  s.skipSpaces();
  s.expect('(');
  s.skipSpaces();
  s.expect('@');
  const path: string[] = [];
  for (;;) {
    if (s.peek() === '.') {
      if (s.peek(1) === '.') s.fail('recursive descent ("..") is not supported');
      s.pos++;
      const name = readName(s);
      if (name === '') s.fail('expected a field name after "."');
      path.push(name);
    } else if (s.peek() === '[') {
      s.pos++;
      s.skipSpaces();
      if (s.peek() !== "'" && s.peek() !== '"') s.fail('only field names may follow "@" in a filter');
      path.push(readQuoted(s));
      s.skipSpaces();
      s.expect(']');
    } else break;
  }
  s.skipSpaces();
  const filter: Segment = { kind: 'filter', path };
  const op = `${s.peek() ?? ''}${s.peek(1) ?? ''}`;
  if (op === '==' || op === '!=') {
    s.pos += 2;
    s.skipSpaces();
    filter.op = op;
    filter.literal = readLiteral(s);
    s.skipSpaces();
  } else if (/^[<>=!&|]/.test(op)) s.fail('only ==, != and existence filters are supported');
  s.expect(')');
  s.skipSpaces();
  s.expect(']');
  return filter;
}

function readLiteral(s: Scanner): string | number {
  const char = s.peek();
  if (char === "'" || char === '"') return readQuoted(s);
  const match = numberLiteral.exec(s.text.slice(s.pos, s.end));
  if (!match) s.fail('expected a string or number literal');
  s.pos += match[0].length;
  return Number(match[0]);
}
