import assert from 'node:assert/strict';
import { agentUsage, parseAgentArgs } from '../../../cli/agent-command.js';
import { agentArgsFailure, baseAgentArgs } from '../agent/agent-args.js';

const base = baseAgentArgs;

const failure = agentArgsFailure;

describe('flotilla agent service DNS flags', () => {
  it('passes the cluster domain, the cluster DNS address and the resolv.conf path to the agent', () => {
    const options = parseAgentArgs([
      ...base,
      '--cluster-domain',
      'edge.example.',
      '--cluster-dns',
      '169.254.53.53',
      '--resolv-conf',
      '/run/systemd/resolve/resolv.conf',
    ]);
    assert.ok(options !== 'help');
    assert.deepEqual(options.dns, {
      clusterDomain: 'edge.example',
      clusterDns: '169.254.53.53',
      resolvConf: '/run/systemd/resolve/resolv.conf',
    });
  });

  it('leaves the defaults to the agent when no DNS flag is given, and accepts none', () => {
    const options = parseAgentArgs(base);
    assert.ok(options !== 'help');
    assert.equal(options.dns, undefined);
    assert.deepEqual((parseAgentArgs([...base, '--cluster-dns', 'none']) as any).dns, { clusterDns: 'none' });
  });

  it('refuses a bad domain, a non-IPv4 address and an empty resolv.conf, naming the flag', () => {
    assert.match(
      failure([...base, '--cluster-domain', 'Cluster_Local']),
      /^--cluster-domain: Invalid value: "Cluster_Local": /,
    );
    assert.equal(
      failure([...base, '--cluster-dns', 'fd00::10']),
      '--cluster-dns: Invalid value: "fd00::10": must be an IPv4 address such as 169.254.20.10, or none',
    );
    assert.equal(failure([...base, '--resolv-conf', '']), '--resolv-conf: Invalid value: "": must be a file');
  });

  it('documents the flags in the usage text', () => {
    for (const flag of ['--cluster-domain', '--cluster-dns', '--resolv-conf'])
      assert.ok(agentUsage.includes(flag), flag);
  });
});
