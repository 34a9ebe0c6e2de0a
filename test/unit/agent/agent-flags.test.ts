import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseAgentArgs } from '../../../cli/agent-command.js';
import { agentArgsFailure, baseAgentArgs } from './agent-args.js';

const base = baseAgentArgs;

const failure = agentArgsFailure;

describe('flotilla agent flags', () => {
  it('parses a full command line', () => {
    const options = parseAgentArgs([
      ...base,
      '--runtime',
      'fake',
      '--node-labels',
      'flotilla.io/site=hall-3, tier=edge',
      '--register-with-taints',
      'dedicated=sensors:NoSchedule,maintenance:NoExecute',
    ]);
    assert.notEqual(options, 'help');
    if (options === 'help') return;
    assert.equal(options.nodeName, 'gw-1');
    assert.deepEqual(options.runtime, { kind: 'fake' });
    assert.deepEqual(options.nodeLabels, { 'flotilla.io/site': 'hall-3', tier: 'edge' });
    assert.deepEqual(options.taints, [
      { key: 'dedicated', value: 'sensors', effect: 'NoSchedule' },
      { key: 'maintenance', effect: 'NoExecute' },
    ]);
  });

  it('defaults to a managed containerd that picks its own sandbox image, unless --pause-image names one', () => {
    const options = parseAgentArgs(base);
    assert.ok(options !== 'help');
    assert.deepEqual(options.runtime, { kind: 'managed' });
    assert.deepEqual(
      (parseAgentArgs([...base, '--pause-image', 'registry.k8s.io/pause:3.9']) as any).runtime,
      {
        kind: 'managed',
        pauseImage: 'registry.k8s.io/pause:3.9',
      },
    );
    assert.deepEqual(
      (parseAgentArgs([...base, '--runtime-endpoint', 'unix:///run/containerd/containerd.sock']) as any)
        .runtime,
      { kind: 'endpoint', endpoint: 'unix:///run/containerd/containerd.sock' },
    );
  });

  it('names each missing required flag', () => {
    assert.equal(failure([]), '--hub is required');
    assert.equal(failure(base.slice(0, 6)), '--data-dir is required');
  });

  it('runs without --token: a gateway that has joined authenticates with its node key alone', () => {
    const options = parseAgentArgs([...base.slice(0, 2), ...base.slice(4)]);
    assert.notEqual(options, 'help');
    assert.equal((options as { token?: string }).token, undefined);
    assert.equal(
      failure([...base.slice(0, 2), '--token', '', ...base.slice(4)]),
      '--token must not be empty',
    );
  });

  it('refuses unknown flags and stray arguments', () => {
    assert.match(failure([...base, '--nodename', 'x']), /Unknown option '--nodename'/);
    assert.match(failure([...base, 'extra']), /Unexpected argument 'extra'/);
  });

  it('refuses a node name that is not a DNS-1123 subdomain', () => {
    assert.match(
      failure([...base, '--node-name', 'GW_1']),
      /^--node-name: Invalid value: "GW_1": a lowercase RFC 1123 subdomain must consist of/,
    );
  });

  it('refuses a hub address that is not an MQTT URL', () => {
    assert.match(
      failure([...base, '--hub', 'hub.local:1883']),
      /^--hub: Invalid value: "hub.local:1883": must be/,
    );
    assert.match(failure([...base, '--hub', 'https://hub.local']), /must be an MQTT URL/);
  });

  it('takes the join string, a hub CA file, or plain MQTT only when told it is insecure', () => {
    const options = parseAgentArgs([...base, '--hub-ca-file', '/etc/flotilla/ca.crt']);
    assert.ok(options !== 'help');
    assert.equal(options.token, base[3]);
    assert.equal(options.hubCaFile, '/etc/flotilla/ca.crt');
    const plain = parseAgentArgs([...base, '--hub', 'mqtt://hub.local:1883', '--hub-insecure-plaintext']);
    assert.ok(plain !== 'help' && plain.hubInsecurePlaintext === true);
    assert.match(failure([...base, '--hub', 'mqtt://hub.local:1883']), /--hub-insecure-plaintext$/);
    assert.match(
      failure([...base, '--token', 'tok::sha256:123']),
      /^--token: Invalid value: the CA hash after "::" must be sha256: and 64 hex digits/,
    );
  });

  it('names the label at fault', () => {
    assert.match(
      failure([...base, '--node-labels', 'site']),
      /^--node-labels: Invalid value: "site": must be key=value/,
    );
    assert.match(
      failure([...base, '--node-labels', 'bad key=x']),
      /^--node-labels\[bad key\]: Invalid value: "bad key"/,
    );
    assert.match(
      failure([...base, '--node-labels', 'tier=no way']),
      /^--node-labels\[tier\]: Invalid value: "no way"/,
    );
    assert.equal(
      failure([...base, '--node-labels', 'kubernetes.io/arch=arm64']),
      '--node-labels[kubernetes.io/arch]: Invalid value: "arm64": is set by the agent itself',
    );
  });

  it('names the taint field at fault', () => {
    assert.equal(
      failure([...base, '--register-with-taints', 'a=b:NoRun']),
      '--register-with-taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    );
    assert.match(
      failure([...base, '--register-with-taints', 'a=b']),
      /^--register-with-taints: Invalid value: "a=b": must be key=value:Effect/,
    );
    assert.match(
      failure([...base, '--register-with-taints', 'x:NoSchedule,-bad:NoSchedule']),
      /^--register-with-taints\[1\]\.key: Invalid value: "-bad"/,
    );
  });

  it('checks the runtime flags', () => {
    assert.equal(
      failure([...base, '--runtime', 'docker']),
      '--runtime: Unsupported value: "docker": supported values: "fake"',
    );
    assert.equal(
      failure([...base, '--runtime', 'fake', '--runtime-endpoint', '/run/c.sock']),
      '--runtime fake and --runtime-endpoint exclude each other',
    );
    assert.match(
      failure([...base, '--runtime-endpoint', 'tcp://x:1']),
      /^--runtime-endpoint: Invalid value: "tcp:\/\/x:1": must be a unix socket/,
    );
    assert.equal(
      failure([...base, '--pause-image', 'pause:1']),
      '--pause-image: Invalid value: "pause:1": must be fully qualified, e.g. docker.io/library/pause:1',
    );
  });

  it('answers --help', () => {
    assert.equal(parseAgentArgs(['--help']), 'help');
  });

  it('takes a CNI conf dir for an external runtime only', () => {
    const endpoint = ['--runtime-endpoint', 'unix:///run/containerd/containerd.sock'];
    const options = parseAgentArgs([...base, ...endpoint, '--cni-conf-dir', '/etc/cni/net.d']);
    assert.equal(options !== 'help' && options.cniConfDir, '/etc/cni/net.d');
    assert.equal(
      failure([...base, '--cni-conf-dir', '/etc/cni/net.d']),
      '--cni-conf-dir needs --runtime-endpoint (the managed containerd has its own)',
    );
  });

  it('resolves every path it takes against the current directory', () => {
    const options = parseAgentArgs([
      ...base.slice(0, 6),
      '--data-dir',
      './gw-data',
      '--runtime-endpoint',
      'run/containerd.sock',
      '--cni-conf-dir',
      'net.d',
      '--resolv-conf',
      '../resolv.conf',
    ]);
    assert.ok(options !== 'help');
    assert.equal(options.dataDir, join(process.cwd(), 'gw-data'));
    assert.deepEqual(options.runtime, {
      kind: 'endpoint',
      endpoint: `unix://${join(process.cwd(), 'run/containerd.sock')}`,
    });
    assert.equal(options.cniConfDir, join(process.cwd(), 'net.d'));
    assert.equal(options.dns?.resolvConf, join(process.cwd(), '../resolv.conf'));
  });

  it('refuses a unix:// endpoint with a relative path, whose first segment a URL reads as a host', () => {
    assert.equal(
      failure([...base, '--runtime-endpoint', 'unix://run/containerd.sock']),
      '--runtime-endpoint: Invalid value: "unix://run/containerd.sock": a unix:// endpoint needs an absolute path (unix:///run/x.sock); or give a plain path',
    );
  });

  it('switches host routes to other gateways on or off, and names a bad value', () => {
    const on = parseAgentArgs([...base, '--pod-routes', 'off']);
    assert.equal(on !== 'help' && on.podRoutes, false);
    const unset = parseAgentArgs(base);
    assert.equal(unset !== 'help' && unset.podRoutes, undefined);
    assert.equal(
      failure([...base, '--pod-routes', 'yes']),
      '--pod-routes: Unsupported value: "yes": supported values: "on", "off"',
    );
  });
});
