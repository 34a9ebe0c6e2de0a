// `flotilla agent image import FILE.tar...`: loads OCI-layout or docker-archive tars into the
// agent's containerd (namespace k8s.io, the one CRI reads), for sites without a registry. The
// address is --runtime-endpoint, else the managed containerd's socket under --data-dir; the
// command does not start a containerd itself, it asks for a running agent instead (starting one
// would need the agent's pause image, netns and cgroup settings). ctr stores names verbatim while
// CRI normalises the names pods ask for, so a tar naming `x/y:1` imports fine but no pod finds it
// (firmware-notes/host-runtime.md §1, pitfall 3): such refs get a warning.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { UsageError } from '../api/usage-error.js';
import { containerdPaths } from '../edge-agent/runtime/containerd-config.js';
import { importImageTar } from '../edge-agent/runtime/image-import.js';
import { normalizeImageRef } from '../edge-agent/runtime/image-ref.js';
import { parseRuntimeEndpoint } from '../edge-agent/runtime/runtime-endpoint.js';
import { parseFlags } from './parse-flags.js';

export const imageImportUsage = `flotilla agent image import FILE.tar [FILE.tar ...] --data-dir DIR [--runtime-endpoint unix:///PATH]
  --data-dir DIR                   the agent's data dir: imports into its managed containerd, which must be running
  --runtime-endpoint URL           import into this containerd socket instead
  Each tar must name its images fully qualified (docker.io/..., localhost/...).
`;

export interface ImageImportOptions {
  files: string[];
  /** The containerd socket path, for ctr --address. */
  socket: string;
  /** True when the socket is the agent's managed containerd (not --runtime-endpoint). */
  managed: boolean;
}

/** The command's options from its arguments (after `image import`); throws UsageError. */
export function parseImageImportArgs(args: string[]): ImageImportOptions | 'help' {
  const parsed = parseFlags({
    args,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      'runtime-endpoint': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const { values, positionals: files } = parsed;
  if (values.help) return 'help';
  if (files.length === 0) throw new UsageError('image import: at least one FILE.tar is required');
  const dataDir = values['data-dir'] as string | undefined;
  const endpoint = values['runtime-endpoint'] as string | undefined;
  if (endpoint !== undefined) {
    const parsed = parseRuntimeEndpoint(endpoint);
    if (!parsed.ok) throw new UsageError(parsed.error);
    return { files: files.map((file) => resolve(file)), socket: parsed.socket, managed: false };
  }
  if (!dataDir) throw new UsageError('--data-dir is required (or --runtime-endpoint)');
  return {
    files: files.map((file) => resolve(file)),
    socket: containerdPaths(resolve(dataDir)).socket,
    managed: true,
  };
}

/** The refs in ctr's output: `unpacking docker.io/x/y:1 (sha256:…)...done`, one per image. */
export function importedRefs(ctrOutput: string): string[] {
  const refs: string[] = [];
  for (const match of ctrOutput.matchAll(/^unpacking (\S+) \(sha256:[0-9a-f]+\)/gm)) {
    if (match[1] !== undefined && !refs.includes(match[1])) refs.push(match[1]);
  }
  return refs;
}

/** Why CRI will not find `ref` under that name, or undefined when it is fully qualified. */
export function unqualifiedRefWarning(ref: string): string | undefined {
  const normalized = normalizeImageRef(ref);
  if (normalized === ref) return undefined;
  return `${ref} is not fully qualified: pods naming it look up ${normalized} and will not find it; retag the image as ${normalized} before saving the tar`;
}

function socketAnswers(path: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (answers: boolean) => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function runImageImport(
  args: string[],
  print: (line: string) => void = (line) => console.log(line),
  warn: (line: string) => void = (line) => console.error(line),
): Promise<void> {
  const options = parseImageImportArgs(args);
  if (options === 'help') {
    print(imageImportUsage.trimEnd());
    return;
  }
  for (const file of options.files) {
    if (!existsSync(file)) throw new UsageError(`image import: ${file}: no such file`);
  }
  if (!(await socketAnswers(options.socket)))
    throw new Error(
      options.managed
        ? `the agent's containerd is not running (nothing answers on ${options.socket}); start the agent first or pass --runtime-endpoint`
        : `nothing answers on ${options.socket}: is containerd running there?`,
    );
  for (const file of options.files) {
    const output = await importImageTar(options.socket, file);
    const refs = importedRefs(output);
    if (refs.length === 0) print(`${file}: ${output.trim() || 'no images in the tar'}`);
    for (const ref of refs) {
      print(`${file}: imported ${ref}`);
      const warning = unqualifiedRefWarning(ref);
      if (warning) warn(`${file}: warning: ${warning}`);
    }
  }
}
