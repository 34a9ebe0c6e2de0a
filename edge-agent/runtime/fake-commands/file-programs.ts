// The file programs of a fake container: touch, mkdir [-p], rm [-rf] and ls, on its
// FakeFilesystem, with busybox's messages (`rm: x: No such file or directory`).
import { posix } from 'node:path';
import type { ShellIo, ShellState } from './shell-run.js';

type FileProgram = (args: string[], io: ShellIo, state: ShellState) => Promise<number>;

const text = (io: ShellIo, stream: 'stdout' | 'stderr', value: string) =>
  io.write(stream, Buffer.from(value));

export const filePrograms: Record<string, FileProgram> = {
  touch: (args, io, state) =>
    eachPath('touch', args, io, async (path) => {
      if (!(await state.fs.stat(at(state, path)))) await state.fs.write(at(state, path), Buffer.alloc(0));
    }),
  mkdir: (args, io, state) => {
    const parents = args.includes('-p');
    return eachPath('mkdir', args, io, (path) => state.fs.mkdir(at(state, path), parents));
  },
  rm: (args, io, state) => {
    const flags = args.filter((a) => a.startsWith('-')).join('');
    const force = flags.includes('f');
    return eachPath('rm', args, io, async (path) => {
      if (force && !(await state.fs.stat(at(state, path)))) return;
      await state.fs.remove(at(state, path), /[rR]/.test(flags));
    });
  },
  ls: async (args, io, state) => {
    const paths = args.filter((a) => !a.startsWith('-'));
    let code = 0;
    for (const path of paths.length > 0 ? paths : ['.']) {
      const stat = await state.fs.stat(at(state, path));
      if (!stat) {
        text(io, 'stderr', `ls: ${path}: No such file or directory\n`);
        code = 1;
      } else if (stat.kind === 'file') text(io, 'stdout', `${path}\n`);
      else text(io, 'stdout', (await state.fs.list(at(state, path))).map((n) => `${n}\n`).join(''));
    }
    return code;
  },
};

async function eachPath(name: string, args: string[], io: ShellIo, act: (p: string) => Promise<void>) {
  let code = 0;
  for (const path of args.filter((a) => !a.startsWith('-'))) {
    await act(path).catch((error: Error) => {
      text(io, 'stderr', `${name}: ${path}: ${error.message}\n`);
      code = 1;
    });
  }
  return code;
}

export function at(state: ShellState, path: string): string {
  return posix.resolve(state.cwd, path);
}
