// What a result was measured on, saved next to the numbers: results from different machines
// are not comparable, and a reader needs to know which one they are looking at.
import { execFileSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  node: string;
  platform: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  /** The commit measured; a dirty tree is marked, since its numbers may not reproduce. */
  commit: string;
}

export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    commit: gitCommit(),
  };
}

function gitCommit(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const head = git('rev-parse', '--short', 'HEAD').trim();
    return git('status', '--porcelain', '--untracked-files=no').trim() ? `${head}-dirty` : head;
  } catch {
    return 'unknown';
  }
}
