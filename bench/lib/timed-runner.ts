// A CommandRunner that notes each command's payload and duration: the benchmark reports how much
// of a proxy sync is the rule tool itself (iptables-restore, nft) loading exactly that payload.
import type { CommandRunner } from '../../edge-agent/proxy/run-command.js';

export interface TimedCommand {
  argv: readonly string[];
  input: string;
  ms: number;
}

export function timedRunner(run: CommandRunner, record: (command: TimedCommand) => void): CommandRunner {
  return async (argv, input) => {
    const started = performance.now();
    const result = await run(argv, input);
    record({ argv, input: input ?? '', ms: performance.now() - started });
    return result;
  };
}

/** The commands that load rules (not the saves and listings around them). */
export function isLoad(command: TimedCommand): boolean {
  const tool = command.argv[0] ?? '';
  return (tool.endsWith('-restore') || (tool === 'nft' && command.argv[1] === '-f')) && command.input !== '';
}
