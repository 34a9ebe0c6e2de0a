// `tar` in a fake container, what `kubectl cp` runs (kubectl/pkg/cmd/cp): `tar cf - PATH` to copy
// out, and `tar -xmf - -C DIR` or `tar --no-same-permissions --no-same-owner -xmf - -C DIR` to
// copy in; also `t` to list. Archives are uncompressed (no z/j), files and directories only.
import { posix } from 'node:path';
import { type TarEntry, tarArchive } from '../images/tar-writer.js';
import { type FakeFilesystem, FsError } from './fake-filesystem.js';
import { readTarMembers, TarFormatError } from './tar-reader.js';

export interface TarIo {
  args: string[];
  cwd: string;
  fs: FakeFilesystem;
  stdin: AsyncIterable<Buffer> | undefined;
  out(stream: 'stdout' | 'stderr', data: Buffer | string): void;
}

interface TarOptions {
  mode: 'c' | 'x' | 't' | undefined;
  file: string;
  directory: string | undefined;
  keepModes: boolean;
  members: string[];
}

const IGNORED_LONG = new Set(['--no-same-owner', '--same-owner', '--overwrite', '--same-permissions']);

function parseOptions(args: string[]): TarOptions | string {
  const options: TarOptions = {
    mode: undefined,
    file: '-',
    directory: undefined,
    keepModes: true,
    members: [],
  };
  const rest = [...args];
  // The first word may be old-style bundled letters without a dash (`tar cf - x`).
  if (rest[0] && !rest[0].startsWith('-')) rest[0] = `-${rest[0]}`;
  while (rest.length > 0) {
    const arg = rest.shift() ?? '';
    if (arg === '--no-same-permissions') options.keepModes = false;
    else if (IGNORED_LONG.has(arg)) continue;
    else if (arg.startsWith('--')) return `unrecognized option '${arg}'`;
    else if (arg.startsWith('-') && arg.length > 1) {
      for (const letter of arg.slice(1)) {
        if (letter === 'c' || letter === 'x' || letter === 't') options.mode = letter;
        else if (letter === 'f') options.file = rest.shift() ?? '';
        else if (letter === 'C') options.directory = rest.shift() ?? '';
        else if (letter === 'z' || letter === 'j' || letter === 'J')
          return 'compressed archives are not simulated';
        else if (!'mvpo'.includes(letter)) return `invalid option -- '${letter}'`;
      }
    } else options.members.push(arg);
  }
  return options;
}

export async function tarCommand(io: TarIo): Promise<number> {
  const fail = (message: string) => {
    io.out('stderr', `tar: ${message}\n`);
    return 1;
  };
  const options = parseOptions(io.args);
  if (typeof options === 'string') return fail(options);
  if (!options.mode) return fail('need exactly one of -c, -x or -t');
  if (options.file !== '-') return fail('only stdin and stdout (-f -) are simulated');
  const base = posix.resolve(io.cwd, options.directory ?? '.');
  try {
    if (options.mode === 'c') return await create(io, options, base, fail);
    const input: Buffer[] = [];
    for await (const chunk of io.stdin ?? []) input.push(chunk);
    const members = readTarMembers(Buffer.concat(input));
    if (options.mode === 't') {
      io.out('stdout', members.map((m) => `${m.path}\n`).join(''));
      return 0;
    }
    for (const member of members) {
      const target = posix.resolve(base, member.path);
      if (member.type === 'dir') await io.fs.mkdir(target, true);
      else if (member.type === 'file') {
        await io.fs.mkdir(posix.dirname(target), true);
        await io.fs.write(target, member.data, {
          mode: options.keepModes ? member.mode : member.mode & 0o755,
        });
      } else io.out('stderr', `tar: ${member.path}: only files and directories are simulated, skipped\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof FsError || error instanceof TarFormatError) return fail(error.message);
    throw error;
  }
}

async function create(io: TarIo, options: TarOptions, base: string, fail: (m: string) => number) {
  if (options.members.length === 0) return fail('empty archive');
  const entries: TarEntry[] = [];
  let code = 0;
  let warned = false;
  const add = async (path: string, name: string): Promise<void> => {
    const stat = await io.fs.stat(path);
    if (!stat) {
      code = fail(`${name}: No such file or directory`);
      return;
    }
    if (stat.kind === 'file') {
      entries.push({ type: 'file', path: name, data: await io.fs.read(path), mode: stat.mode });
      return;
    }
    entries.push({ type: 'dir', path: name, mode: stat.mode });
    for (const child of await io.fs.list(path)) await add(posix.join(path, child), posix.join(name, child));
  };
  for (const member of options.members) {
    let name = posix.normalize(member);
    if (name.startsWith('/')) {
      // busybox's warning, once per archive
      if (!warned) io.out('stderr', "tar: removing leading '/' from member names\n");
      warned = true;
      name = name.replace(/^\/+/, '') || '.';
    }
    await add(posix.resolve(base, member), name);
  }
  io.out('stdout', tarArchive(entries));
  return code;
}
