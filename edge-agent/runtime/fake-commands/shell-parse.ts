// The grammar of the fake `sh`, the part of POSIX sh (XCU 2.9) that container manifests use:
// lists with `;`, `&` and newlines, `&&` and `||`, pipelines with `!`, `while`/`until`, `for`,
// `if`/`elif`/`else`, `{ …; }` and `( … )` groups, NAME=value prefixes and redirections.
// Functions, `case`, here-documents and arithmetic are not simulated (a syntax error says so).
import { ShellSyntaxError, type Token, tokenize, type Word } from './shell-words.js';

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&';
  target: Word;
}

export type ShellNode =
  | { kind: 'simple'; assigns: { name: string; value: Word }[]; words: Word[]; redirects: Redirect[] }
  | { kind: 'pipeline'; negate: boolean; commands: ShellNode[] }
  | { kind: 'andOr'; first: ShellNode; rest: { op: '&&' | '||'; node: ShellNode }[] }
  | { kind: 'list'; items: { node: ShellNode; background: boolean }[] }
  | { kind: 'loop'; until: boolean; condition: ShellNode; body: ShellNode }
  | { kind: 'for'; name: string; words: Word[]; body: ShellNode }
  | { kind: 'if'; branches: { condition: ShellNode; body: ShellNode }[]; otherwise?: ShellNode }
  | { kind: 'group'; body: ShellNode };

const RESERVED = new Set(['do', 'done', 'then', 'elif', 'else', 'fi', '}', 'in']);
const UNSUPPORTED = new Set(['case', 'function', ';;']);

export function parseScript(script: string): ShellNode {
  const tokens = tokenize(script);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (op: string) => {
    const t = peek();
    return t?.kind === 'op' && t.op === op;
  };
  const isWord = (word: string) => {
    const t = peek();
    return t?.kind === 'word' && t.literal === word;
  };
  const expectWord = (word: string) => {
    skipNewlines();
    if (!isWord(word)) throw unexpected(`'${word}'`);
    pos++;
  };
  const skipNewlines = () => {
    while (isOp('\n')) pos++;
  };
  const unexpected = (wanted: string) => {
    const t = peek();
    const found = !t ? 'end of file' : t.kind === 'op' ? `'${t.op === '\n' ? '\\n' : t.op}'` : 'word';
    return new ShellSyntaxError(`syntax error: unexpected ${found} (expecting ${wanted})`);
  };

  const tree = list(new Set());
  if (pos < tokens.length) throw unexpected('end of file');
  return tree;

  /** A list up to (not including) one of `stops` or the end. */
  function list(stops: Set<string>): ShellNode {
    const items: { node: ShellNode; background: boolean }[] = [];
    for (;;) {
      skipNewlines();
      const t = peek();
      if (!t || (t.kind === 'op' && t.op === ')') || (t.kind === 'word' && stops.has(t.literal ?? ''))) break;
      const node = andOr();
      const background = isOp('&');
      items.push({ node, background });
      if (isOp(';') || isOp('&') || isOp('\n')) pos++;
      else break;
    }
    return { kind: 'list', items };
  }

  function andOr(): ShellNode {
    const first = pipeline();
    const rest: { op: '&&' | '||'; node: ShellNode }[] = [];
    while (isOp('&&') || isOp('||')) {
      const op = (peek() as { op: '&&' | '||' }).op;
      pos++;
      skipNewlines();
      rest.push({ op, node: pipeline() });
    }
    return rest.length === 0 ? first : { kind: 'andOr', first, rest };
  }

  function pipeline(): ShellNode {
    const negate = isWord('!');
    if (negate) pos++;
    const commands = [command()];
    while (isOp('|')) {
      pos++;
      skipNewlines();
      commands.push(command());
    }
    return commands.length === 1 && !negate
      ? (commands[0] as ShellNode)
      : { kind: 'pipeline', negate, commands };
  }

  function command(): ShellNode {
    const t = peek();
    if (t?.kind === 'op' && t.op === '(') {
      pos++;
      const body = list(new Set());
      if (!isOp(')')) throw unexpected("')'");
      pos++;
      return { kind: 'group', body };
    }
    const word = t?.kind === 'word' ? t.literal : undefined;
    if (word === 'while' || word === 'until') {
      pos++;
      const condition = list(new Set(['do']));
      expectWord('do');
      const body = list(new Set(['done']));
      expectWord('done');
      return { kind: 'loop', until: word === 'until', condition, body };
    }
    if (word === 'for') return forLoop();
    if (word === 'if') return ifCommand();
    if (word === '{') {
      pos++;
      const body = list(new Set(['}']));
      expectWord('}');
      return { kind: 'group', body };
    }
    if (word !== undefined && UNSUPPORTED.has(word)) {
      throw new ShellSyntaxError(`syntax error: '${word}' is not simulated by the fake runtime's sh`);
    }
    return simple();
  }

  function forLoop(): ShellNode {
    pos++;
    const nameToken = peek();
    if (nameToken?.kind !== 'word' || !/^[A-Za-z_]\w*$/.test(nameToken.literal ?? ''))
      throw unexpected('a name');
    pos++;
    const words: Word[] = [];
    if (isWord('in')) {
      pos++;
      for (let t = peek(); t?.kind === 'word'; t = peek()) {
        words.push(t.word);
        pos++;
      }
    }
    if (isOp(';')) pos++;
    expectWord('do');
    const body = list(new Set(['done']));
    expectWord('done');
    return { kind: 'for', name: nameToken.literal ?? '', words, body };
  }

  function ifCommand(): ShellNode {
    const branches: { condition: ShellNode; body: ShellNode }[] = [];
    let otherwise: ShellNode | undefined;
    do {
      pos++; // 'if' or 'elif'
      const condition = list(new Set(['then']));
      expectWord('then');
      branches.push({ condition, body: list(new Set(['elif', 'else', 'fi'])) });
    } while (isWord('elif'));
    if (isWord('else')) {
      pos++;
      otherwise = list(new Set(['fi']));
    }
    expectWord('fi');
    return otherwise ? { kind: 'if', branches, otherwise } : { kind: 'if', branches };
  }

  function simple(): ShellNode {
    const node = {
      kind: 'simple' as const,
      assigns: [] as { name: string; value: Word }[],
      words: [] as Word[],
    };
    const redirects: Redirect[] = [];
    for (let t = peek(); t && t.kind !== 'op'; t = peek()) {
      pos++;
      if (t.kind === 'redirect') {
        redirects.push({ fd: t.fd, op: t.op, target: t.target });
        continue;
      }
      const assign = node.words.length === 0 ? /^([A-Za-z_]\w*)=/.exec(t.literal ?? rawText(t.word)) : null;
      if (assign?.[1]) {
        node.assigns.push({ name: assign[1], value: dropPrefix(t.word, assign[0].length) });
      } else {
        if (node.words.length === 0 && RESERVED.has(t.literal ?? '')) {
          pos--;
          throw unexpected('a command');
        }
        node.words.push(t.word);
      }
    }
    if (node.words.length === 0 && node.assigns.length === 0 && redirects.length === 0)
      throw unexpected('a command');
    return { ...node, redirects };
  }
}

/** The leading unquoted text of a word (enough to see NAME= in `NAME="a b"`). */
function rawText(word: Word): string {
  const first = word.parts[0];
  return first?.kind === 'text' && !first.quoted ? first.text : '';
}

function dropPrefix(word: Word, length: number): Word {
  const [first, ...rest] = word.parts;
  if (first?.kind !== 'text') return word;
  const text = first.text.slice(length);
  return { parts: text ? [{ ...first, text }, ...rest] : rest };
}
