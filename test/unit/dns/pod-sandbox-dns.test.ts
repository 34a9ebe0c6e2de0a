// The pod manager hands each sandbox its resolver configuration: checked on what the fake
// runtime was asked to create.
import assert from 'node:assert/strict';
import type { PodDnsSettings } from '../../../edge-agent/dns/pod-dns-config.js';
import { parseResolvConf } from '../../../edge-agent/dns/resolv-conf.js';
import type { SandboxConfig } from '../../../edge-agent/runtime/container-runtime.js';
import { aPod, desiredState, type TestPod } from '../pods/pod-builders.js';
import { aHarness, type PodHarness } from '../pods/pod-harness.js';

const dns: PodDnsSettings = {
  clusterDomain: 'cluster.local',
  clusterDns: ['169.254.20.10'],
  hostResolvConf: () => parseResolvConf('nameserver 192.168.7.1\nsearch plant.example\n'),
};

async function sandboxOf(h: PodHarness, podName: string): Promise<SandboxConfig> {
  const sandbox = (await h.runtime.listPodSandboxes()).find((s) => s.metadata.name === podName);
  assert.ok(sandbox, `no sandbox for ${podName}`);
  return h.runtime.sandboxConfig(sandbox.id)!;
}

describe('pod sandboxes get the DNS config', () => {
  let h: PodHarness;

  afterEach(async () => {
    await h.cleanup();
  });

  it('asks the runtime for the cluster DNS, the namespace search path and ndots:5', async () => {
    h = await aHarness({ dns });
    const pod: TestPod = { ...aPod('web'), metadata: { ...aPod('web').metadata, namespace: 'shop' } };
    h.setDesired(desiredState([pod, aPod('node-agent', { hostNetwork: true })]));
    await h.sync(2);
    assert.deepEqual((await sandboxOf(h, 'web')).dnsConfig, {
      servers: ['169.254.20.10'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'plant.example'],
      options: ['ndots:5'],
    });
    assert.deepEqual((await sandboxOf(h, 'node-agent')).dnsConfig, {
      servers: ['192.168.7.1'],
      searches: ['plant.example'],
      options: [],
    });
    assert.deepEqual(
      h.events.filter((e) => e.type === 'Warning').map((e) => e.reason),
      [],
    );
  });

  it('reports a DNSConfigForming warning when the pod asks for more nameservers than resolvers use', async () => {
    h = await aHarness({ dns });
    const pod = aPod('web', {
      dnsConfig: { nameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] },
    } as never);
    h.setDesired(desiredState([pod]));
    await h.sync(2);
    assert.deepEqual((await sandboxOf(h, 'web')).dnsConfig?.servers, [
      '169.254.20.10',
      '10.0.0.1',
      '10.0.0.2',
    ]);
    const warning = h.events.find((e) => e.reason === 'DNSConfigForming');
    assert.equal(warning?.type, 'Warning');
    assert.match(warning?.message ?? '', /applied nameserver line is: 169.254.20.10 10.0.0.1 10.0.0.2$/);
  });

  it('leaves resolv.conf to the runtime when the pod manager has no DNS settings', async () => {
    h = await aHarness();
    h.setDesired(desiredState([aPod('web')]));
    await h.sync(2);
    assert.equal((await sandboxOf(h, 'web')).dnsConfig, undefined);
  });
});
