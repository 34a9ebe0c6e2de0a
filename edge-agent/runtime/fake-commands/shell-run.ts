// Runs a parsed fake `sh` script (shell-parse.ts): expansion of $NAME, $? and $(…), field
// splitting of unquoted expansions, redirections to files of the container's filesystem,
// pipelines (each command's output becomes the next one's input once it ends), background
// jobs and `wait`, and the special built-ins scripts use: exit, trap, cd, export, unset, `:`,
// break and continue (shell-builtins.ts). A stopped container runs its TERM trap.
import { setImmediate as nextTick } from 'node:timers/promises';
import type { OutputStream } from '../container-runtime.js';
import type { FakeFilesystem } from './fake-filesystem.js';
import { LoopControl, resolve, runBuiltin, ShellExit } from './shell-builtins.js';
import type { Redirect, ShellNode } from './shell-parse.js';
import { parseScript } from './shell-parse.js';
import type { Word } from './shell-words.js';

export { ShellExit } from './shell-builtins.js';

export interface ShellIo {
  stdin: AsyncIterable<Buffer> | undefined;
  write(stream: OutputStream, data: Buffer): void;
}

export interface ShellState {
  env: Map<string, string>;
  cwd: string;
  last: number;
  jobs: Promise<number>[];
  traps: Map<string, string>;
  fs: FakeFilesystem;
  signal: AbortSignal | undefined;
  /** Runs one program (not a built-in) with its arguments; 127 when it does not exist. */
  program(words: string[], io: ShellIo, state: ShellState): Promise<number>;
}

/** Runs a script to its end; `exit` ends it (and throws ShellExit out with `exitThrows`). */
export async function runScript(
  script: string,
  io: ShellIo,
  state: ShellState,
  exitThrows = false,
): Promise<number> {
  try {
    const code = await run(parseScript(script), io, state);
    if (state.signal?.aborted) await stopped(io, state);
    return code;
  } catch (error) {
    if (error instanceof ShellExit && !exitThrows) return error.code;
    if (error instanceof LoopControl) return 0;
    throw error;
  }
}

async function run(node: ShellNode, io: ShellIo, state: ShellState): Promise<number> {
  if (state.signal?.aborted) await stopped(io, state);
  switch (node.kind) {
    case 'list':
      for (const item of node.items) {
        if (item.background) {
          const job = run(item.node, { ...io, stdin: undefined }, state).catch((e) =>
            e instanceof ShellExit ? e.code : 1,
          );
          state.jobs.push(job);
          state.last = 0;
        } else state.last = await run(item.node, io, state);
      }
      return state.last;
    case 'andOr': {
      let code = await run(node.first, io, state);
      for (const { op, node: next } of node.rest) {
        if ((op === '&&') === (code === 0)) code = await run(next, io, state);
      }
      state.last = code;
      return code;
    }
    case 'pipeline':
      return pipeline(node.commands, node.negate, io, state);
    case 'loop':
      for (;;) {
        const ok = (await run(node.condition, io, state)) === 0;
        if (ok === node.until) return 0;
        if (await loopBody(node.body, io, state)) return 0;
      }
    case 'for':
      for (const value of await expandAll(node.words, state)) {
        state.env.set(node.name, value);
        if (await loopBody(node.body, io, state)) break;
      }
      return 0;
    case 'if':
      for (const branch of node.branches) {
        if ((await run(branch.condition, io, state)) === 0) return run(branch.body, io, state);
      }
      return node.otherwise ? run(node.otherwise, io, state) : 0;
    case 'group':
      return run(node.body, io, state);
    case 'simple':
      state.last = await simple(node, io, state);
      return state.last;
  }
}

/** One pass of a loop body; true when it breaks. Yields so a loop without sleep cannot starve the agent. */
async function loopBody(body: ShellNode, io: ShellIo, state: ShellState): Promise<boolean> {
  await nextTick();
  try {
    await run(body, io, state);
    return false;
  } catch (error) {
    if (error instanceof LoopControl) return !error.again;
    throw error;
  }
}

async function pipeline(commands: ShellNode[], negate: boolean, io: ShellIo, state: ShellState) {
  let input = io.stdin;
  let code = 0;
  for (const [i, command] of commands.entries()) {
    const last = i === commands.length - 1;
    const captured: Buffer[] = [];
    const write = (stream: OutputStream, data: Buffer) =>
      stream === 'stdout' && !last ? captured.push(data) : io.write(stream, data);
    code = await run(command, { stdin: input, write }, state);
    input = toInput(Buffer.concat(captured));
  }
  state.last = negate ? Number(code === 0) : code;
  return state.last;
}

async function simple(node: Extract<ShellNode, { kind: 'simple' }>, io: ShellIo, state: ShellState) {
  const words = await expandAll(node.words, state);
  const assigns = new Map<string, string>();
  for (const { name, value } of node.assigns) assigns.set(name, (await expand(value, state)).join(' '));
  if (words.length === 0) {
    for (const [name, value] of assigns) state.env.set(name, value);
    return 0;
  }
  const files = new Map<string, Buffer[]>();
  const redirected = await redirect(node.redirects, io, state, files);
  if (typeof redirected === 'number') return redirected;
  let code: number;
  const builtin = await runBuiltin(words, redirected, state);
  if (builtin !== undefined) code = builtin;
  else {
    const saved = new Map(state.env);
    for (const [name, value] of assigns) state.env.set(name, value);
    try {
      code = await state.program(words, redirected, state);
    } finally {
      state.env.clear();
      for (const [name, value] of saved) state.env.set(name, value);
    }
  }
  for (const [path, chunks] of files) {
    const append = path.startsWith('>>');
    await state.fs.write(path.slice(append ? 2 : 1), Buffer.concat(chunks), { append });
  }
  return code;
}

/** The io a command gets after its redirections; a number when one fails (sh prints why). */
async function redirect(redirects: Redirect[], io: ShellIo, state: ShellState, files: Map<string, Buffer[]>) {
  const targets: Record<number, ((data: Buffer) => void) | undefined> = {
    1: (data) => io.write('stdout', data),
    2: (data) => io.write('stderr', data),
  };
  let stdin = io.stdin;
  for (const r of redirects) {
    const target = (await expand(r.target, state)).join(' ');
    if (r.op === '>&') {
      const to = targets[Number(target)];
      targets[r.fd] = to;
    } else if (r.op === '<') {
      const data = await state.fs.read(resolve(state, target)).catch((e: Error) => e);
      if (data instanceof Error) return failRedirect(io, target, data);
      stdin = toInput(data);
    } else if (target === '/dev/null') {
      targets[r.fd] = () => {};
    } else {
      const path = resolve(state, target);
      const key = `${r.op}${path}`;
      const chunks = files.get(key) ?? [];
      if (r.op === '>') {
        const made = await state.fs.write(path, Buffer.alloc(0)).catch((e: Error) => e);
        if (made instanceof Error) return failRedirect(io, target, made);
      }
      files.set(key, chunks);
      targets[r.fd] = (data) => chunks.push(data);
    }
  }
  const write = (stream: OutputStream, data: Buffer) => targets[stream === 'stdout' ? 1 : 2]?.(data);
  return { stdin, write } satisfies ShellIo;
}

function failRedirect(io: ShellIo, target: string, error: Error): number {
  io.write('stderr', Buffer.from(`sh: can't open '${target}': ${error.message}\n`));
  return 1;
}

/** The container is being stopped: its TERM trap runs, else it dies of the SIGKILL after the grace period. */
async function stopped(io: ShellIo, state: ShellState): Promise<never> {
  const trap = state.traps.get('TERM');
  state.traps.delete('TERM');
  if (trap === undefined) throw new ShellExit(137);
  const signal = state.signal;
  state.signal = undefined;
  const code = await runScript(trap, io, state);
  state.signal = signal;
  throw new ShellExit(code);
}

function toInput(data: Buffer): AsyncIterable<Buffer> {
  return (async function* () {
    if (data.length > 0) yield data;
  })();
}

async function expandAll(words: Word[], state: ShellState): Promise<string[]> {
  const fields: string[] = [];
  for (const word of words) fields.push(...(await expand(word, state)));
  return fields;
}

/** A word's fields: unquoted expansions split at whitespace, quoted text never. */
async function expand(word: Word, state: ShellState): Promise<string[]> {
  const fields: string[] = [];
  let current: string | undefined;
  const add = (text: string, split: boolean) => {
    if (!split) {
      current = (current ?? '') + text;
      return;
    }
    const pieces = text.split(/[ \t\n]+/);
    pieces.forEach((piece, i) => {
      if (i > 0 && current !== undefined) {
        fields.push(current);
        current = undefined;
      }
      if (piece !== '') current = (current ?? '') + piece;
    });
  };
  for (const part of word.parts) {
    if (part.kind === 'text') add(part.text, false);
    else if (part.kind === 'var') add(variable(part.name, state), !part.quoted);
    else add((await substitute(part.script, state)).replace(/\n+$/, ''), !part.quoted);
  }
  if (current !== undefined) fields.push(current);
  else if (word.parts.some((p) => p.quoted)) fields.push('');
  return fields;
}

function variable(name: string, state: ShellState): string {
  if (name === '?') return String(state.last);
  if (name === '$') return '1';
  if (name === '#') return '0';
  return state.env.get(name) ?? '';
}

async function substitute(script: string, state: ShellState): Promise<string> {
  const out: Buffer[] = [];
  const sub: ShellState = { ...state, env: new Map(state.env), jobs: [], traps: new Map() };
  await runScript(
    script,
    { stdin: undefined, write: (s, d) => (s === 'stdout' ? out.push(d) : undefined) },
    sub,
  );
  return Buffer.concat(out).toString();
}
