// The lexer of the fake `sh`: a script becomes words and operators. A word keeps its parts
// apart (literal text, $NAME, $(…)) with whether they were quoted, so that expansion happens
// when the command runs, as in POSIX sh (XCU 2.3 token recognition, 2.6 word expansions).
export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'subst'; script: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export type Token =
  | { kind: 'word'; word: Word; literal: string | undefined }
  | { kind: 'op'; op: string }
  | { kind: 'redirect'; fd: number; op: '>' | '>>' | '<' | '>&'; target: Word };

export class ShellSyntaxError extends Error {}

const OPERATORS = ['&&', '||', ';;', ';', '&', '|', '(', ')', '\n'];

/** Splits a script into tokens; comments and line continuations are dropped. */
export function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (s: string) => script.startsWith(s, i);
  while (i < script.length) {
    const c = script[i] ?? '';
    if (c === ' ' || c === '\t') {
      i++;
    } else if (at('\\\n')) {
      i += 2;
    } else if (c === '#') {
      while (i < script.length && script[i] !== '\n') i++;
    } else if (/[0-9]/.test(c) && /^[0-9][<>]/.test(script.slice(i, i + 2))) {
      const fd = Number(c);
      i++;
      tokens.push(readRedirect(fd));
    } else if (c === '>' || c === '<') {
      tokens.push(readRedirect(c === '<' ? 0 : 1));
    } else {
      const op = OPERATORS.find(at);
      if (op) {
        tokens.push({ kind: 'op', op });
        i += op.length;
      } else {
        tokens.push(readWordToken());
      }
    }
  }
  return tokens;

  function readRedirect(fd: number): Token {
    let op: '>' | '>>' | '<' | '>&';
    if (at('>>')) op = '>>';
    else if (at('>&')) op = '>&';
    else op = at('<') ? '<' : '>';
    i += op.length;
    while (script[i] === ' ' || script[i] === '\t') i++;
    const target = readWord();
    if (target.parts.length === 0) throw new ShellSyntaxError(`syntax error: redirection without a target`);
    return { kind: 'redirect', fd, op, target };
  }

  function readWordToken(): Token {
    const start = i;
    const word = readWord();
    const raw = script.slice(start, i);
    const literal = word.parts.every((p) => p.kind === 'text' && !p.quoted) ? raw : undefined;
    return { kind: 'word', word, literal };
  }

  function readWord(): Word {
    const parts: WordPart[] = [];
    const text = (t: string, quoted: boolean) => {
      const last = parts[parts.length - 1];
      if (last?.kind === 'text' && last.quoted === quoted) last.text += t;
      else parts.push({ kind: 'text', text: t, quoted });
    };
    while (i < script.length) {
      const c = script[i] ?? '';
      if (/[\s;&|()<>]/.test(c)) break;
      if (c === "'") {
        const end = script.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
        text(script.slice(i + 1, end), true);
        i = end + 1;
      } else if (c === '"') {
        i++;
        while (script[i] !== '"') {
          if (i >= script.length) throw new ShellSyntaxError('syntax error: unterminated quoted string');
          if (script[i] === '\\' && /["\\$`]/.test(script[i + 1] ?? '')) {
            text(script[i + 1] ?? '', true);
            i += 2;
          } else if (script[i] === '$') readDollar(true, parts, text);
          else text(script[i++] ?? '', true);
        }
        i++;
      } else if (c === '\\') {
        text(script[i + 1] ?? '', true);
        i += 2;
      } else if (c === '$') {
        readDollar(false, parts, text);
      } else {
        text(c, false);
        i++;
      }
    }
    return { parts };
  }

  function readDollar(quoted: boolean, parts: WordPart[], text: (t: string, q: boolean) => void): void {
    const rest = script.slice(i + 1);
    const braced = /^\{(\w+|[?$#])\}/.exec(rest);
    const plain = /^(\w+|[?$#])/.exec(rest);
    if (rest.startsWith('(')) {
      let depth = 0;
      let j = i + 1;
      for (; j < script.length; j++) {
        if (script[j] === '(') depth++;
        else if (script[j] === ')' && --depth === 0) break;
      }
      if (j >= script.length) throw new ShellSyntaxError("syntax error: unterminated '$('");
      parts.push({ kind: 'subst', script: script.slice(i + 2, j), quoted });
      i = j + 1;
    } else if (braced?.[1]) {
      parts.push({ kind: 'var', name: braced[1], quoted });
      i += braced[0].length + 1;
    } else if (plain?.[1]) {
      parts.push({ kind: 'var', name: plain[1], quoted });
      i += plain[0].length + 1;
    } else {
      text('$', quoted);
      i++;
    }
  }
}
