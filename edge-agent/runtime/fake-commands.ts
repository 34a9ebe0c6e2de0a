// The commands FakeRuntime runs for exec, in memory: just enough of busybox for exec tests and
// simulated fleets, answering as the real thing does on containerd 1.6 (checked by the exec
// cases of test/conformance/container-runtime):
//   echo ARGS…        ARGS joined by spaces, then a newline
//   cat               stdin to stdout until stdin closes
//   cat FILE…         files under the container's mounts, and /proc/1/cmdline
//   true, false       exit 0, exit 1
//   sleep SECONDS     waits (an aborted exec stops it)
//   hostname, env     the sandbox's hostname, the container's environment
//   ps                the command lines in the container's process namespace (a container's
//                     own, or also its target's when it joined one), in busybox 1.35's columns
//   sh -c SCRIPT      statements separated by ';': the commands above, `exit N`, `$VAR` from
//                     the environment, '…' and "…" quoting, and `>&2` to write to stderr;
//                     an unknown command there prints `sh: X: not found` and gives 127
// Any other program is not found: the exec fails as containerd's does (a RuntimeError carrying
// runc's "executable file not found in $PATH" message), before any output.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ContainerConfig,
  type OutputStream,
  RuntimeError,
  type SandboxConfig,
} from './container-runtime.js';

export interface FakeProcess {
  config: ContainerConfig;
  sandbox: SandboxConfig;
  /** Command lines of the processes the container sees besides this command, pid 1 first. */
  processes?: string[] | undefined;
  /** Input, ending when stdin is closed; absent without stdin (reads see EOF at once). */
  stdin?: AsyncIterable<Buffer> | undefined;
  write(stream: OutputStream, data: Buffer): void;
  signal?: AbortSignal | undefined;
}

const builtins = new Set(['echo', 'cat', 'true', 'false', 'sleep', 'hostname', 'env', 'sh', 'ps']);

/** runc's words for a missing executable, as containerd 1.6 reports them. */
export function notFoundError(program: string): RuntimeError {
  return new RuntimeError(
    'Unknown',
    `failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`,
  );
}

/** Runs `command`; resolves with its exit code. Rejects when the program does not exist. */
export async function runFakeCommand(command: string[], proc: FakeProcess): Promise<number> {
  const [program = ''] = command;
  if (!builtins.has(program)) throw notFoundError(program);
  return run(command, proc);
}

async function run(words: string[], proc: FakeProcess, stream: OutputStream = 'stdout'): Promise<number> {
  const [program = '', ...args] = words;
  const out = (text: string | Buffer) =>
    proc.write(stream, typeof text === 'string' ? Buffer.from(text) : text);
  switch (program) {
    case 'echo':
      out(`${args.join(' ')}\n`);
      return 0;
    case 'true':
      return 0;
    case 'false':
      return 1;
    case 'hostname':
      out(`${proc.sandbox.hostname ?? proc.sandbox.metadata.name}\n`);
      return 0;
    case 'env':
      out(proc.config.envs.map(({ key, value }) => `${key}=${value}\n`).join(''));
      return 0;
    case 'sleep':
      await sleep(Number(args[0] ?? 0) * 1000, undefined, { signal: proc.signal }).catch(() => {});
      return proc.signal?.aborted ? 137 : 0;
    case 'cat':
      return cat(args, proc, out);
    case 'ps':
      out(psTable([...(proc.processes ?? []), words.join(' ')]));
      return 0;
    case 'sh':
      if (args[0] !== '-c' || args[1] === undefined) {
        proc.write('stderr', Buffer.from('sh: only sh -c SCRIPT is simulated\n'));
        return 2;
      }
      return shell(args[1], proc);
    default:
      proc.write('stderr', Buffer.from(`sh: ${program}: not found\n`));
      return 127;
  }
}

/** busybox 1.35 ps (Debian's busybox-static): PID, USER, COMMAND. */
function psTable(commands: string[]): string {
  const rows = commands.map((command, i) => `${String(i + 1).padStart(5)} root     ${command}\n`);
  return `PID   USER     COMMAND\n${rows.join('')}`;
}

async function cat(args: string[], proc: FakeProcess, out: (data: Buffer | string) => void): Promise<number> {
  if (args.length === 0) {
    for await (const chunk of proc.stdin ?? []) out(chunk);
    return 0;
  }
  let code = 0;
  for (const path of args) {
    const content = await readInContainer(proc.config, path);
    if (content === undefined) {
      proc.write('stderr', Buffer.from(`cat: can't open '${path}': No such file or directory\n`));
      code = 1;
    } else out(content);
  }
  return code;
}

async function readInContainer(config: ContainerConfig, path: string): Promise<Buffer | undefined> {
  if (path === '/proc/1/cmdline') {
    return Buffer.from([...config.command, ...config.args].map((a) => `${a}\0`).join(''));
  }
  const mount = config.mounts.find((m) => path.startsWith(`${m.containerPath}/`));
  if (!mount) return undefined;
  return readFile(join(mount.hostPath, path.slice(mount.containerPath.length))).catch(() => undefined);
}

async function shell(script: string, proc: FakeProcess): Promise<number> {
  const env = new Map(proc.config.envs.map(({ key, value }) => [key, value]));
  let code = 0;
  for (const statement of script.split(';')) {
    const words = splitWords(statement, env);
    if (words.length === 0) continue;
    const toStderr = words[words.length - 1] === '>&2';
    if (toStderr) words.pop();
    if (words[0] === 'exit') return Number(words[1] ?? code) & 0xff;
    code = await run(words, proc, toStderr ? 'stderr' : 'stdout');
  }
  return code;
}

/** Shell words: quotes group, $NAME expands outside single quotes. */
function splitWords(statement: string, env: Map<string, string>): string[] {
  const words: string[] = [];
  const pattern = /'([^']*)'|"([^"]*)"|(\S+)/g;
  const expand = (text: string) => text.replace(/\$(\w+)/g, (_, name: string) => env.get(name) ?? '');
  for (const match of statement.matchAll(pattern)) {
    if (match[1] !== undefined) words.push(match[1]);
    else words.push(expand(match[2] ?? match[3] ?? ''));
  }
  return words;
}
