// Runs the real kubectl, 1.32 unless a test names another version (the machine has the versioned
// binaries 1.27 to 1.33 in the Cloud SDK's bin directory), each with a fresh cache dir.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sdkBin = '/usr/lib/google-cloud-sdk/bin';
const versioned = `${sdkBin}/kubectl.1.32`;
export const kubectlBin = existsSync(versioned) ? versioned : 'kubectl';

/** The kubectl 1.`minor` binary, or undefined when this machine does not have it. */
export function kubectlOf(minor: number): string | undefined {
  const path = `${sdkBin}/kubectl.1.${minor}`;
  return existsSync(path) ? path : undefined;
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  private readonly cacheDir = mkdtempSync(join(tmpdir(), 'flotilla-kubectl-cache-'));

  constructor(
    private readonly kubeconfig: string,
    private readonly bin = kubectlBin,
  ) {}

  run(args: string[], stdin?: string): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        this.bin,
        ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin ?? '');
    });
  }

  /** Runs and insists on success; returns stdout. */
  async ok(args: string[], stdin?: string): Promise<string> {
    const result = await this.run(args, stdin);
    if (result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} failed (${result.code}):\n${result.stderr}${result.stdout}`);
    }
    return result.stdout;
  }

  /**
   * Starts kubectl with its stdin open for the test to type into (`debug -i`, `attach -i`: the
   * runtime ends an attach whose input ends, unless the container has stdinOnce).
   */
  interactive(args: string[]): {
    type: (text: string) => void;
    output: () => string;
    exited: Promise<number | null>;
    kill: () => void;
  } {
    const child = spawn(this.bin, ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    const collect = (d: Buffer) => {
      out += d.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    return {
      type: (text) => child.stdin.write(text),
      output: () => out,
      exited: new Promise((resolve) => child.on('close', resolve)),
      kill: () => child.kill('SIGKILL'),
    };
  }

  /** Starts a long-running kubectl (e.g. get -w, port-forward) and collects its output. */
  spawnLong(args: string[]): { output: () => string; stop: () => void; exited: Promise<number | null> } {
    const child = spawn(this.bin, ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { output: () => out, stop: () => child.kill('SIGTERM'), exited };
  }
}
