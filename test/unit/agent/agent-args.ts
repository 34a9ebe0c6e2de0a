// The smallest valid `flotilla agent` command line, and the usage error a bad one gives, for the
// tests of each group of agent flags.
import assert from 'node:assert/strict';
import { UsageError } from '../../../api/usage-error.js';
import { parseAgentArgs } from '../../../cli/agent-command.js';

export const baseAgentArgs: string[] = [
  '--hub',
  'mqtts://hub.local:8883',
  '--token',
  `tok::sha256:${'ab'.repeat(32)}`,
  '--node-name',
  'gw-1',
  '--data-dir',
  '/tmp/gw-1',
];

/** The message of the UsageError `run` throws; fails the test if it throws nothing else. */
export function usageError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof UsageError, `not a usage error: ${String(err)}`);
    return err.message;
  }
  assert.fail('no error');
}

/** The usage error of an agent command line. */
export function agentArgsFailure(args: string[]): string {
  return usageError(() => parseAgentArgs(args));
}
