import assert from 'node:assert/strict';
import { lookupDns } from '../../../edge-agent/dns/dns-lookup.js';
import { dnsRecords } from '../../../edge-agent/dns/dns-records.js';
import { type PodDnsSettings, podDnsConfig } from '../../../edge-agent/dns/pod-dns-config.js';
import { parseResolvConf, type ResolvConf } from '../../../edge-agent/dns/resolv-conf.js';
import type { DnsConfig } from '../../../edge-agent/runtime/container-runtime.js';
import { aPod, type TestPod } from '../pods/pod-builders.js';
import { aClusterIPService } from './dns-builders.js';

const host: ResolvConf = parseResolvConf(
  'nameserver 192.168.1.1\nnameserver 192.168.1.2\nsearch site.example corp.example\noptions edns0 timeout:2\n',
);

function settings(clusterDns = ['169.254.20.10'], resolv = host): PodDnsSettings {
  return { clusterDomain: 'cluster.local', clusterDns, hostResolvConf: () => resolv };
}

function inNamespace(pod: TestPod, namespace: string): TestPod {
  return { ...pod, metadata: { ...pod.metadata, namespace } };
}

function configOf(pod: TestPod, with_ = settings()): DnsConfig {
  return podDnsConfig(pod, with_).config;
}

const hostConfig: DnsConfig = {
  servers: ['192.168.1.1', '192.168.1.2'],
  searches: ['site.example', 'corp.example'],
  options: ['edns0', 'timeout:2'],
};

describe('pod DNS config (CRI dns_config) per dnsPolicy', () => {
  it('gives ClusterFirst pods the cluster DNS, the namespace search path before the host ones, and ndots:5', () => {
    assert.deepEqual(configOf(inNamespace(aPod('web'), 'shop')), {
      servers: ['169.254.20.10'],
      searches: [
        'shop.svc.cluster.local',
        'svc.cluster.local',
        'cluster.local',
        'site.example',
        'corp.example',
      ],
      options: ['ndots:5'],
    });
  });

  it('treats a pod without dnsPolicy as ClusterFirst', () => {
    assert.deepEqual(configOf(aPod('web', { dnsPolicy: 'ClusterFirst' } as never)), configOf(aPod('web')));
  });

  it('gives hostNetwork pods the host resolv.conf under ClusterFirst, the cluster DNS under ClusterFirstWithHostNet', () => {
    assert.deepEqual(configOf(aPod('agent', { hostNetwork: true })), hostConfig);
    const withHostNet = aPod('agent', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } as never);
    assert.deepEqual(configOf(withHostNet).servers, ['169.254.20.10']);
    assert.equal(configOf(withHostNet).searches[0], 'default.svc.cluster.local');
  });

  it('gives Default pods the host resolv.conf', () => {
    assert.deepEqual(configOf(aPod('web', { dnsPolicy: 'Default' } as never)), hostConfig);
  });

  it('gives None pods their dnsConfig only', () => {
    const pod = aPod('web', {
      dnsPolicy: 'None',
      dnsConfig: {
        nameservers: ['1.1.1.1'],
        searches: ['example.org'],
        options: [{ name: 'ndots', value: '2' }],
      },
    } as never);
    assert.deepEqual(configOf(pod), {
      servers: ['1.1.1.1'],
      searches: ['example.org'],
      options: ['ndots:2'],
    });
  });

  it('merges a pod dnsConfig: servers and searches appended without duplicates, options replaced by name', () => {
    const pod = aPod('web', {
      dnsConfig: {
        nameservers: ['10.0.0.53', '169.254.20.10'],
        searches: ['svc.cluster.local', 'extra.example'],
        options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }],
      },
    } as never);
    assert.deepEqual(configOf(pod), {
      servers: ['169.254.20.10', '10.0.0.53'],
      searches: [
        'default.svc.cluster.local',
        'svc.cluster.local',
        'cluster.local',
        'site.example',
        'corp.example',
        'extra.example',
      ],
      options: ['ndots:2', 'single-request-reopen'],
    });
  });

  it('falls back to the host resolv.conf for ClusterFirst when there is no cluster DNS', () => {
    assert.deepEqual(configOf(aPod('web'), settings([])), hostConfig);
  });

  it('keeps three nameservers and says so in a DNSConfigForming warning', () => {
    const pod = aPod('web', {
      dnsPolicy: 'Default',
      dnsConfig: { nameservers: ['10.0.0.1', '10.0.0.2'] },
    } as never);
    const { config, warnings } = podDnsConfig(pod, settings());
    assert.deepEqual(config.servers, ['192.168.1.1', '192.168.1.2', '10.0.0.1']);
    assert.deepEqual(warnings, [
      {
        reason: 'DNSConfigForming',
        message:
          'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 192.168.1.1 192.168.1.2 10.0.0.1',
      },
    ]);
  });

  it('cuts the search list to 32 domains and 2048 characters, dropping domains over 253 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const long = `${'a'.repeat(250)}.example`;
    const pod = aPod('web', { dnsPolicy: 'None', dnsConfig: { searches: [long, ...many] } } as never);
    const { config, warnings } = podDnsConfig(pod, settings());
    // The kubelet's order: the first 32, then the over-long ones dropped from those.
    assert.deepEqual(config.searches, many.slice(0, 31));
    assert.equal(warnings[0]?.reason, 'DNSConfigForming');
    const wide = Array.from(
      { length: 30 },
      (_, i) => `${String(i).padStart(2, '0')}${'x'.repeat(96)}.example`,
    );
    const cut = podDnsConfig(
      aPod('web', { dnsPolicy: 'None', dnsConfig: { searches: wide } } as never),
      settings(),
    );
    assert.ok(cut.config.searches.join(' ').length <= 2048);
    assert.deepEqual(cut.config.searches, wide.slice(0, cut.config.searches.length), 'cut from the end');
    assert.equal(podDnsConfig(aPod('web'), settings()).warnings.length, 0);
  });
});

describe('search-path queries against the service DNS', () => {
  const records = dnsRecords(
    [aClusterIPService('web', '10.43.0.10'), aClusterIPService('api', '10.43.0.20', undefined, 'shop')],
    [],
    'cluster.local',
  );

  /** What a stub resolver does with the pod's resolv.conf: each candidate until one answers. */
  function resolve(name: string, config: DnsConfig): string[] {
    const ndots = Number(config.options.find((o) => o.startsWith('ndots:'))?.slice(6) ?? 1);
    const dots = name.split('.').length - 1;
    const searched = config.searches.map((s) => `${name}.${s}`);
    const candidates = dots >= ndots ? [name, ...searched] : [...searched, name];
    const trail: string[] = [];
    for (const candidate of candidates) {
      const result = lookupDns(records, { name: candidate, type: 'A' });
      if (result.kind === 'forward') {
        trail.push(`${candidate} forwarded`);
        continue;
      }
      const address = (result.answers.find((a) => a.type === 'A') as { data?: string } | undefined)?.data;
      trail.push(`${candidate} ${address ?? result.rcode}`);
      if (address) break;
    }
    return trail;
  }

  const podConfig = configOf(aPod('client'));

  it('finds a Service of the own namespace by its short name at the first try', () => {
    assert.deepEqual(resolve('web', podConfig), ['web.default.svc.cluster.local 10.43.0.10']);
  });

  it('finds a Service of another namespace as <service>.<namespace> after one NXDOMAIN', () => {
    assert.deepEqual(resolve('api.shop', podConfig), [
      'api.shop.default.svc.cluster.local NXDOMAIN',
      'api.shop.svc.cluster.local 10.43.0.20',
    ]);
  });

  it('answers cluster-domain candidates of an outside name with NXDOMAIN and forwards the rest', () => {
    assert.deepEqual(resolve('example.com', podConfig), [
      'example.com.default.svc.cluster.local NXDOMAIN',
      'example.com.svc.cluster.local NXDOMAIN',
      'example.com.cluster.local NXDOMAIN',
      'example.com.site.example forwarded',
      'example.com.corp.example forwarded',
      'example.com forwarded',
    ]);
  });
});

describe('resolv.conf parsing', () => {
  it('reads nameservers, the last search line and options, ignoring comments', () => {
    const conf = parseResolvConf(
      [
        '# generated by dhclient',
        'nameserver 10.0.0.2 ; primary',
        'domain old.example',
        'search a.example. b.example .',
        'nameserver 10.0.0.3',
        'options ndots:2 rotate',
        'options ndots:3',
      ].join('\n'),
    );
    assert.deepEqual(conf, {
      nameservers: ['10.0.0.2', '10.0.0.3'],
      searches: ['a.example', 'b.example'],
      options: ['ndots:3', 'rotate'],
    });
  });
});
