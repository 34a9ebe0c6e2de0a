// The special built-ins of the fake sh, which act on the shell itself rather than run a program:
// exit, `:`, trap, wait, cd, export, unset, break and continue (XCU 2.14).
import type { ShellIo, ShellState } from './shell-run.js';

export class ShellExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export class LoopControl extends Error {
  constructor(readonly again: boolean) {
    super(again ? 'continue' : 'break');
  }
}

export async function runBuiltin(
  words: string[],
  io: ShellIo,
  state: ShellState,
): Promise<number | undefined> {
  const [name, ...args] = words;
  switch (name) {
    case 'exit':
      throw new ShellExit(args[0] === undefined ? state.last : Number(args[0]) & 0xff);
    case ':':
      return 0;
    case 'trap':
      for (const signal of args.slice(1)) state.traps.set(signal.replace(/^SIG/, ''), args[0] ?? '');
      return 0;
    case 'wait': {
      const codes = await Promise.all(state.jobs.splice(0));
      return codes[codes.length - 1] ?? 0;
    }
    case 'cd': {
      const path = resolve(state, args[0] ?? '/root');
      if ((await state.fs.stat(path))?.kind !== 'dir') {
        io.write('stderr', Buffer.from(`sh: cd: can't cd to ${args[0]}: No such file or directory\n`));
        return 2;
      }
      state.cwd = path;
      return 0;
    }
    case 'export':
      for (const arg of args) {
        const eq = arg.indexOf('=');
        if (eq > 0) state.env.set(arg.slice(0, eq), arg.slice(eq + 1));
      }
      return 0;
    case 'unset':
      for (const arg of args) state.env.delete(arg);
      return 0;
    case 'break':
    case 'continue':
      throw new LoopControl(name === 'continue');
    default:
      return undefined;
  }
}

export function resolve(state: ShellState, path: string): string {
  return path.startsWith('/') ? path : `${state.cwd.replace(/\/$/, '')}/${path}`;
}
