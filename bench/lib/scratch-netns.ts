// Throwaway network namespaces for the service proxy's benchmark and end-to-end test: rules
// written inside one never reach the host's firewall, and deleting the namespace takes every
// rule, interface and route in it along. Names carry the process id, so runs on one machine do
// not collide; only namespaces this process created are ever deleted.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type CommandRunner, commandRunner } from '../../edge-agent/proxy/run-command.js';

const exec = promisify(execFile);

export class ScratchNetns {
  /** Runs a command inside the namespace (ip netns exec), payload on stdin. */
  readonly run: CommandRunner;

  private constructor(readonly name: string) {
    this.run = commandRunner({ netns: name });
  }

  /** A fresh namespace `<prefix>-<pid>-<suffix>` with loopback up. */
  static async create(prefix: string, suffix: string): Promise<ScratchNetns> {
    const name = `${prefix}-${process.pid}-${suffix}`;
    await exec('ip', ['netns', 'del', name]).catch(() => undefined); // left by a killed run of this pid
    await exec('ip', ['netns', 'add', name]);
    const netns = new ScratchNetns(name);
    await netns.ip('link', 'set', 'lo', 'up');
    return netns;
  }

  async ip(...args: string[]): Promise<string> {
    return (await exec('ip', ['-n', this.name, ...args])).stdout;
  }

  async sysctl(setting: string): Promise<void> {
    await this.run(['sysctl', '-qw', setting]);
  }

  /** Processes still inside must be stopped first: a namespace lives on while one is in it. */
  async delete(): Promise<void> {
    await exec('ip', ['netns', 'del', this.name]).catch(() => undefined);
  }
}

/** What the real-rules tests and benchmarks need on this machine; empty when all is there. */
export function missingForRules(has: (command: string) => boolean, isRoot: boolean): string[] {
  const missing = isRoot ? [] : ['not running as root'];
  for (const command of ['ip', 'nft', 'iptables-nft-restore', 'iptables-legacy-restore'])
    if (!has(command)) missing.push(`${command} not installed`);
  return missing;
}
