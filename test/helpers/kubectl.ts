// Runs the real kubectl 1.32 (runtime-facts §4: the versioned binary, a fresh cache dir).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const versioned = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
export const kubectlBin = existsSync(versioned) ? versioned : 'kubectl';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  private readonly cacheDir = mkdtempSync(join(tmpdir(), 'flotilla-kubectl-cache-'));

  constructor(private readonly kubeconfig: string) {}

  run(args: string[], stdin?: string): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        kubectlBin,
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

  /** Starts a long-running kubectl (e.g. get -w) and collects its output. */
  spawnLong(args: string[]): { output: () => string; stop: () => void } {
    const child = spawn(
      kubectlBin,
      ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    return { output: () => out, stop: () => child.kill('SIGTERM') };
  }
}
