// Runs the rule tools (iptables-restore, iptables-save, nft) as child processes, the payload on
// stdin, in the agent's network namespace or, for tests and benchmarks, in a named one. A failure
// carries the tool's own message: "iptables-restore: line 12 failed" tells an operator more than
// an exit code.
import { spawn } from 'node:child_process';
import type { ProcessStarter } from './nft-session.js';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Runs `argv` with `input` on stdin; rejects with CommandError when it exits non-zero. */
export interface CommandRunner {
  (argv: readonly string[], input?: string): Promise<CommandResult>;
  /** Starts a long-lived process in the same namespace (the nftables proxy's `nft -i`). */
  start?: ProcessStarter;
}

export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly argv: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    const detail = stderr.trim().split('\n').slice(0, 5).join('; ');
    super(`${argv.join(' ')} failed (exit ${code ?? 'signal'}): ${detail || 'no message'}`);
  }
}

/** Missing tools are ENOENT: said in words, with the package that has them. */
function missingTool(argv: readonly string[]): Error {
  const tool = argv[0] ?? '';
  const pkg = tool.startsWith('nft')
    ? 'nftables'
    : tool.startsWith('ip') && !tool.startsWith('ipt')
      ? 'iproute2'
      : 'iptables';
  return new Error(`${tool} is not installed (Debian/Ubuntu package ${pkg})`);
}

/** `netns`: a name under /var/run/netns to run in (ip netns exec); unset: this process's namespace. */
export function commandRunner(options: { netns?: string } = {}): CommandRunner {
  const inNamespace = (argv: readonly string[]) =>
    options.netns ? ['ip', 'netns', 'exec', options.netns, ...argv] : [...argv];
  const run: CommandRunner = (argv, input) =>
    new Promise((resolve, reject) => {
      const full = inNamespace(argv);
      const child = spawn(full[0]!, full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? missingTool(full) : error),
      );
      child.once('close', (code) => {
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        if (code === 0) resolve({ stdout, stderr });
        else reject(new CommandError(argv, code, stderr));
      });
      // A tool that exits early (bad first line) closes stdin: its exit status tells what happened.
      child.stdin.on('error', () => {});
      child.stdin.end(input ?? '');
    });
  run.start = (argv) => {
    const full = inNamespace(argv);
    return spawn(full[0]!, full.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  };
  return run;
}
