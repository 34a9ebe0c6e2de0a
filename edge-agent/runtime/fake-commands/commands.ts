// The programs of a fake container, in memory: enough of busybox for the commands container
// manifests, probes, exec and `kubectl cp` run, answering as busybox on containerd 1.6 does
// (checked by test/conformance/container-runtime):
//   echo [-n], printf FORMAT ARGS, cat [FILE…], true, false, sleep N[smh], date, hostname, env,
//   pwd, ps (the command lines of the container's process namespace, busybox 1.35's columns),
//   test / [ (-e -f -d -s -z -n, = != -eq -ne -lt -le -gt -ge, !), touch, mkdir [-p],
//   rm [-rf], ls, tar (tar-command.ts), and sh: `sh -c SCRIPT` (shell-parse.ts, shell-run.ts),
//   or `sh` reading commands from stdin line by line.
// Files live in the container's FakeFilesystem; /proc/1/cmdline is its main command. Any other
// program is not found: the exec fails as containerd's does (a RuntimeError carrying runc's
// "executable file not found in $PATH"), before any output; inside sh it prints
// `sh: X: not found` and gives 127.
import { posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ContainerConfig,
  type OutputStream,
  RuntimeError,
  type SandboxConfig,
} from '../container-runtime.js';
import { FakeFilesystem } from './fake-filesystem.js';
import { at, filePrograms } from './file-programs.js';
import { runScript, ShellExit, type ShellIo, type ShellState } from './shell-run.js';
import { ShellSyntaxError } from './shell-words.js';
import { tarCommand } from './tar-command.js';
import { testExpression } from './test-expression.js';

export interface FakeProcess {
  config: ContainerConfig;
  sandbox: SandboxConfig;
  /** Command lines of the processes the container sees besides this command, pid 1 first. */
  processes?: string[] | undefined;
  /** The container's files; default: a fresh one over its mounts. */
  fs?: FakeFilesystem | undefined;
  /** Input, ending when stdin is closed; absent without stdin (reads see EOF at once). */
  stdin?: AsyncIterable<Buffer> | undefined;
  write(stream: OutputStream, data: Buffer): void;
  /** Aborted when the exec is cancelled or the container stopped. */
  signal?: AbortSignal | undefined;
  /** Milliseconds since the epoch, for date; default Date.now. */
  now?: (() => number) | undefined;
}

type Program = (args: string[], io: ShellIo, state: ShellState, proc: FakeProcess) => Promise<number>;

const BIN_DIRS = new Set(['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/usr/local/bin']);

/** runc's reason for not starting `program`, as containerd 1.6 reports it. */
function missing(program: string): string {
  const why = program.includes('/')
    ? `stat ${program}: no such file or directory`
    : 'executable file not found in $PATH';
  return `unable to start container process: exec: "${program}": ${why}: unknown`;
}

/** An exec of a missing executable fails in these words. */
export function notFoundError(program: string): RuntimeError {
  return new RuntimeError(
    'Unknown',
    `failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: ${missing(program)}`,
  );
}

/** A container whose program is missing fails StartContainer in these words (measured). */
export function startFailure(program: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: ${missing(program)}`;
}

/** The built-in program a command names (`sh`, `/bin/sh`), if the fake has it. */
export function findProgram(name: string): string | undefined {
  const base = name.includes('/') && BIN_DIRS.has(posix.dirname(name)) ? posix.basename(name) : name;
  return Object.hasOwn(programs, base) ? base : undefined;
}

/** Runs `command`; resolves with its exit code. Rejects when the program does not exist. */
export async function runFakeCommand(command: string[], proc: FakeProcess): Promise<number> {
  const [program = ''] = command;
  if (!findProgram(program)) throw notFoundError(program);
  const state: ShellState = {
    env: new Map(proc.config.envs.map(({ key, value }) => [key, value])),
    cwd: proc.config.workingDir || '/',
    last: 0,
    jobs: [],
    traps: new Map(),
    fs: proc.fs ?? new FakeFilesystem(proc.config.mounts),
    signal: proc.signal,
    program: (words, io, s) => runProgram(words, io, s, proc),
  };
  return runProgram(command, { stdin: proc.stdin, write: (s, d) => proc.write(s, d) }, state, proc);
}

function runProgram(words: string[], io: ShellIo, state: ShellState, proc: FakeProcess): Promise<number> {
  const [name = '', ...args] = words;
  const found = findProgram(name);
  if (!found) {
    io.write('stderr', Buffer.from(`sh: ${name}: not found\n`));
    return Promise.resolve(127);
  }
  return (programs[found] as Program)(args, io, state, proc);
}

const text = (io: ShellIo, stream: OutputStream, value: string) => io.write(stream, Buffer.from(value));

const programs: Record<string, Program> = {
  echo: async (args, io) => {
    const newline = args[0] !== '-n';
    text(io, 'stdout', `${(newline ? args : args.slice(1)).join(' ')}${newline ? '\n' : ''}`);
    return 0;
  },
  printf: async ([format = '', ...args], io) => {
    text(io, 'stdout', printf(format, args));
    return 0;
  },
  true: async () => 0,
  false: async () => 1,
  hostname: async (_, io, __, proc) => {
    text(io, 'stdout', `${proc.sandbox.hostname ?? proc.sandbox.metadata.name}\n`);
    return 0;
  },
  env: async (_, io, state) => {
    text(io, 'stdout', [...state.env].map(([key, value]) => `${key}=${value}\n`).join(''));
    return 0;
  },
  pwd: async (_, io, state) => {
    text(io, 'stdout', `${state.cwd}\n`);
    return 0;
  },
  date: async (_, io, __, proc) => {
    text(io, 'stdout', `${busyboxDate(new Date(proc.now?.() ?? Date.now()))}\n`);
    return 0;
  },
  sleep: async (args, io, state) => {
    const seconds = args.reduce((sum, arg) => sum + duration(arg), 0);
    if (args.length === 0 || Number.isNaN(seconds)) {
      text(io, 'stderr', `sleep: invalid number '${args[0] ?? ''}'\n`);
      return 1;
    }
    const ms = Math.min(seconds * 1000, 2 ** 31 - 1);
    await sleep(ms, undefined, { signal: state.signal }).catch(() => {});
    return state.signal?.aborted ? 137 : 0;
  },
  cat: async (args, io, state, proc) => {
    if (args.length === 0) {
      for await (const chunk of io.stdin ?? []) io.write('stdout', chunk);
      return 0;
    }
    let code = 0;
    for (const path of args) {
      if (path === '/proc/1/cmdline') {
        const { command, args: cmdArgs } = proc.config;
        text(io, 'stdout', [...command, ...cmdArgs].map((a) => `${a}\0`).join(''));
        continue;
      }
      const content = await state.fs.read(at(state, path)).catch((e: Error) => e);
      if (content instanceof Error) {
        text(io, 'stderr', `cat: can't open '${path}': ${content.message}\n`);
        code = 1;
      } else io.write('stdout', content);
    }
    return code;
  },
  ps: async (args, io, __, proc) => {
    const commands = [...(proc.processes ?? []), ['ps', ...args].join(' ')];
    const rows = commands.map((command, i) => `${String(i + 1).padStart(5)} root     ${command}\n`);
    text(io, 'stdout', `PID   USER     COMMAND\n${rows.join('')}`);
    return 0;
  },
  test: async (args, _, state) => testExpression(args, (path) => state.fs.stat(at(state, path))),
  '[': async (args, io, state) => {
    if (args[args.length - 1] !== ']') {
      text(io, 'stderr', '[: missing ]\n');
      return 2;
    }
    return testExpression(args.slice(0, -1), (path) => state.fs.stat(at(state, path)));
  },
  ...filePrograms,
  tar: (args, io, state) =>
    tarCommand({
      args,
      cwd: state.cwd,
      fs: state.fs,
      stdin: io.stdin,
      out: (stream, data) => io.write(stream, typeof data === 'string' ? Buffer.from(data) : data),
    }),
  sh: async (args, io, state) => {
    const shell: ShellState = { ...state, env: new Map(state.env), jobs: [], traps: new Map() };
    try {
      if (args[0] === '-c') return await runScript(args[1] ?? '', io, shell);
      return await interactive(io, shell);
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      text(io, 'stderr', `sh: ${error.message}\n`);
      return 2;
    }
  },
};

/** `sh` without -c: each line of stdin is a script; the shell ends with its input. */
async function interactive(io: ShellIo, state: ShellState): Promise<number> {
  try {
    return await readCommands(io, state);
  } catch (error) {
    if (error instanceof ShellExit) return error.code;
    throw error;
  }
}

async function readCommands(io: ShellIo, state: ShellState): Promise<number> {
  let pending = '';
  for await (const chunk of io.stdin ?? []) {
    pending += chunk.toString().replace(/\r/g, '\n');
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        state.last = await runScript(line, { ...io, stdin: undefined }, state, true);
      } catch (error) {
        if (!(error instanceof ShellSyntaxError)) throw error;
        text(io, 'stderr', `sh: ${error.message}\n`);
        state.last = 2;
      }
    }
  }
  return pending.trim() ? runScript(pending, { ...io, stdin: undefined }, state, true) : state.last;
}

/** busybox sleep: a number with an optional s, m, h or d suffix; `infinity` never ends. */
function duration(arg: string): number {
  if (arg === 'inf' || arg === 'infinity') return Number.POSITIVE_INFINITY;
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
  if (!match) return Number.NaN;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

/** busybox date's default format, in UTC: `Mon Dec  7 17:52:12 UTC 2026`. */
function busyboxDate(date: Date): string {
  // toUTCString: `Mon, 07 Dec 2026 17:52:12 GMT`
  const [weekday, day, month, year, time] = date.toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${String(Number(day)).padStart(2)} ${time} UTC ${year}`;
}

/** printf with %s, %d and %%, and the escapes \n, \t and \\. */
function printf(format: string, args: string[]): string {
  let next = 0;
  return format
    .replace(/%([sd%])/g, (_, spec: string) => {
      if (spec === '%') return '%';
      const value = args[next++] ?? '';
      return spec === 'd' ? String(Number.parseInt(value, 10) || 0) : value;
    })
    .replace(/\\([nt\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
}
