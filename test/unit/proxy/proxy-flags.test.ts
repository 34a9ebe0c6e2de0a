import assert from 'node:assert/strict';
import { parseAgentArgs } from '../../../cli/agent-command.js';
import { parseCleanupRulesArgs } from '../../../cli/cleanup-rules-command.js';
import { baseAgentArgs, usageError } from '../agent/agent-args.js';

const base = baseAgentArgs;

function mode(args: string[]): unknown {
  const options = parseAgentArgs([...base, ...args]);
  assert.ok(options !== 'help');
  return options.proxyMode;
}

describe('--proxy-mode and cleanup-rules flags', () => {
  it('defaults to iptables, and to none for a simulated gateway sharing the host namespace', () => {
    assert.equal(mode([]), 'iptables');
    assert.equal(mode(['--runtime-endpoint', 'unix:///run/containerd/containerd.sock']), 'iptables');
    assert.equal(mode(['--runtime', 'fake']), 'none');
  });

  it('takes each mode, and a fake runtime may still ask for one', () => {
    assert.equal(mode(['--proxy-mode', 'nftables']), 'nftables');
    assert.equal(mode(['--proxy-mode', 'none']), 'none');
    assert.equal(mode(['--runtime', 'fake', '--proxy-mode', 'iptables']), 'iptables');
  });

  it('names the flag and the supported values for anything else', () => {
    assert.equal(
      usageError(() => parseAgentArgs([...base, '--proxy-mode', 'ipvs'])),
      '--proxy-mode: Unsupported value: "ipvs": supported values: "iptables", "nftables", "none"',
    );
  });

  it('cleans up every mode unless told one', () => {
    assert.deepEqual(parseCleanupRulesArgs([]), ['iptables', 'nftables']);
    assert.deepEqual(parseCleanupRulesArgs(['--proxy-mode', 'nftables']), ['nftables']);
    assert.equal(parseCleanupRulesArgs(['-h']), 'help');
    assert.equal(
      usageError(() => parseCleanupRulesArgs(['--proxy-mode', 'none'])),
      '--proxy-mode: Unsupported value: "none": supported values: "iptables", "nftables", "all"',
    );
    assert.match(
      usageError(() => parseCleanupRulesArgs(['--force'])),
      /Unknown option '--force'/,
    );
  });
});
