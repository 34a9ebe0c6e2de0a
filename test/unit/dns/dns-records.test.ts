import assert from 'node:assert/strict';
import { type DnsAnswer, type DnsLookup, lookupDns } from '../../../edge-agent/dns/dns-lookup.js';
import { type DnsRecords, dnsRecords } from '../../../edge-agent/dns/dns-records.js';
import { aClusterIPService, aHeadlessService, anExternalNameService, aSliceFor } from './dns-builders.js';

function answered(lookup: DnsLookup): DnsAnswer {
  assert.equal(lookup.kind, 'answer', 'expected an authoritative answer, got a forward');
  return lookup as DnsAnswer;
}

/** `type data` of each answer, sorted: what a dig +short would show, plus the type. */
function data(lookup: DnsLookup): string[] {
  return answered(lookup)
    .answers.map((a) => {
      const value = (a as { data?: unknown }).data;
      return `${a.type} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
    })
    .sort();
}

const web = aClusterIPService('web', '10.43.0.10', [
  { name: 'http', port: 80 },
  { name: 'metrics', port: 9100, protocol: 'TCP' },
  { port: 8443 },
]);
const dnsLike = aClusterIPService(
  'resolver',
  '10.43.0.53',
  [{ name: 'dns', port: 53, protocol: 'UDP' }],
  'infra',
);
const db = aHeadlessService('db', [{ name: 'pg', port: 5432 }]);
const dbSlices = [
  aSliceFor(
    db,
    [
      { ip: '10.42.1.5', hostname: 'db-0' },
      { ip: '10.42.1.6', hostname: 'db-1' },
      { ip: '10.42.1.9', ready: false, hostname: 'db-2' },
    ],
    [{ name: 'pg', port: 15432 }],
    'a',
  ),
  aSliceFor(db, [{ ip: '10.42.2.7' }], [{ name: 'pg', port: 15432 }], 'b'),
];
const empty = aHeadlessService('empty', [{ name: 'http', port: 80 }]);
const emptySlices = [aSliceFor(empty, [{ ip: '10.42.3.3', ready: false }], [{ name: 'http', port: 8080 }])];
const external = anExternalNameService('search', 'www.Example.com.');
const alias = anExternalNameService('alias', 'web.default.svc.cluster.local');

function table(): DnsRecords {
  return dnsRecords(
    [web, dnsLike, db, empty, external, alias],
    [...dbSlices, ...emptySlices],
    'cluster.local',
    42,
  );
}

describe('service DNS records', () => {
  const records = table();
  const ask = (name: string, type = 'A') => lookupDns(records, { name, type, class: 'IN' });

  describe('a Service with a cluster IP', () => {
    it('answers A with the cluster IP, authoritatively, with a short TTL', () => {
      const answer = answered(ask('web.default.svc.cluster.local'));
      assert.equal(answer.rcode, 'NOERROR');
      assert.equal(answer.authoritative, true);
      assert.deepEqual(answer.answers, [
        { name: 'web.default.svc.cluster.local', type: 'A', ttl: 5, class: 'IN', data: '10.43.0.10' },
      ]);
    });

    it('compares names case-insensitively and answers with the name as asked', () => {
      const answer = answered(ask('WEB.Default.Svc.CLUSTER.local.'));
      assert.deepEqual(data(answer), ['A 10.43.0.10']);
      assert.equal(answer.answers[0]?.name, 'WEB.Default.Svc.CLUSTER.local.');
    });

    it('answers AAAA of an IPv4-only Service with NOERROR, no records and the SOA', () => {
      const answer = answered(ask('web.default.svc.cluster.local', 'AAAA'));
      assert.equal(answer.rcode, 'NOERROR');
      assert.deepEqual(answer.answers, []);
      assert.deepEqual(
        answer.authorities.map((a) => [a.type, a.name]),
        [['SOA', 'cluster.local']],
      );
    });

    it('has an SRV record per named port pointing at the Service name, with its address as additional', () => {
      const answer = answered(ask('_http._tcp.web.default.svc.cluster.local', 'SRV'));
      assert.deepEqual(data(answer), [
        'SRV {"priority":0,"weight":100,"port":80,"target":"web.default.svc.cluster.local"}',
      ]);
      assert.deepEqual(
        answer.additionals.map((a) => `${a.name} ${a.type} ${(a as { data?: unknown }).data}`),
        ['web.default.svc.cluster.local A 10.43.0.10'],
      );
      assert.deepEqual(data(ask('_dns._udp.resolver.infra.svc.cluster.local', 'SRV')), [
        'SRV {"priority":0,"weight":100,"port":53,"target":"resolver.infra.svc.cluster.local"}',
      ]);
    });

    it('has no SRV record for an unnamed port or the wrong protocol', () => {
      assert.equal(answered(ask('_http._udp.web.default.svc.cluster.local', 'SRV')).rcode, 'NXDOMAIN');
      assert.equal(answered(ask('_8443._tcp.web.default.svc.cluster.local', 'SRV')).rcode, 'NXDOMAIN');
    });

    it('answers PTR for the cluster IP with the Service name', () => {
      assert.deepEqual(data(ask('10.0.43.10.in-addr.arpa', 'PTR')), ['PTR web.default.svc.cluster.local']);
    });
  });

  describe('a headless Service', () => {
    it('answers A with the addresses of its ready endpoints across slices', () => {
      assert.deepEqual(data(ask('db.default.svc.cluster.local')), [
        'A 10.42.1.5',
        'A 10.42.1.6',
        'A 10.42.2.7',
      ]);
    });

    it('has an A record per endpoint hostname, and an address-derived one for endpoints without', () => {
      assert.deepEqual(data(ask('db-1.db.default.svc.cluster.local')), ['A 10.42.1.6']);
      assert.deepEqual(data(ask('10-42-2-7.db.default.svc.cluster.local')), ['A 10.42.2.7']);
      assert.equal(answered(ask('db-2.db.default.svc.cluster.local')).rcode, 'NXDOMAIN', 'not ready');
    });

    it('has an SRV record per ready endpoint and named port, with the endpoint port and hostname', () => {
      const answer = answered(ask('_pg._tcp.db.default.svc.cluster.local', 'SRV'));
      assert.deepEqual(
        answer.answers.map((a) => (a.type === 'SRV' ? `${a.data.port} ${a.data.target}` : '')).sort(),
        [
          '15432 10-42-2-7.db.default.svc.cluster.local',
          '15432 db-0.db.default.svc.cluster.local',
          '15432 db-1.db.default.svc.cluster.local',
        ],
      );
      assert.equal(answer.additionals.length, 3);
    });

    it('answers NXDOMAIN when no endpoint is ready (specification §2.4.1)', () => {
      assert.equal(answered(ask('empty.default.svc.cluster.local')).rcode, 'NXDOMAIN');
    });

    it('publishes unready endpoints when the Service says publishNotReadyAddresses', () => {
      const publishing = aHeadlessService('empty', [{ name: 'http', port: 80 }]);
      publishing.spec.publishNotReadyAddresses = true;
      const withUnready = dnsRecords([publishing], emptySlices, 'cluster.local');
      assert.deepEqual(data(lookupDns(withUnready, { name: 'empty.default.svc.cluster.local', type: 'A' })), [
        'A 10.42.3.3',
      ]);
    });

    it('answers PTR for an endpoint address with its hostname name', () => {
      assert.deepEqual(data(ask('5.1.42.10.in-addr.arpa', 'PTR')), ['PTR db-0.db.default.svc.cluster.local']);
    });
  });

  describe('an ExternalName Service', () => {
    it('answers with a CNAME to the external name and asks for the target to be resolved upstream', () => {
      const answer = answered(ask('search.default.svc.cluster.local'));
      assert.deepEqual(data(answer), ['CNAME www.example.com']);
      assert.deepEqual(answer.chase, { name: 'www.example.com', type: 'A' });
    });

    it('answers a CNAME question with the CNAME alone', () => {
      const answer = answered(ask('search.default.svc.cluster.local', 'CNAME'));
      assert.deepEqual(data(answer), ['CNAME www.example.com']);
      assert.equal(answer.chase, undefined);
    });

    it('follows a target inside the cluster domain itself', () => {
      assert.deepEqual(data(ask('alias.default.svc.cluster.local')), [
        'A 10.43.0.10',
        'CNAME web.default.svc.cluster.local',
      ]);
    });
  });

  describe('names that do not exist', () => {
    it('answers NXDOMAIN with the SOA in the authority section for an unknown Service', () => {
      const answer = answered(ask('nope.default.svc.cluster.local'));
      assert.equal(answer.rcode, 'NXDOMAIN');
      assert.equal(answer.authoritative, true);
      assert.deepEqual(answer.answers, []);
      const soa = answer.authorities[0];
      assert.equal(soa?.type, 'SOA');
      assert.equal(soa.type === 'SOA' && soa.data.serial, 42, 'the serial is the desired state revision');
    });

    it('answers NOERROR with no records for the names above Services (empty non-terminals)', () => {
      for (const name of [
        'default.svc.cluster.local',
        'svc.cluster.local',
        '_tcp.web.default.svc.cluster.local',
      ]) {
        const answer = answered(ask(name));
        assert.equal(answer.rcode, 'NOERROR', name);
        assert.deepEqual(answer.answers, [], name);
      }
      assert.equal(answered(ask('nowhere.svc.cluster.local')).rcode, 'NXDOMAIN');
    });

    it('answers the SOA at the zone apex', () => {
      assert.deepEqual(
        answered(ask('cluster.local', 'SOA')).answers.map((a) => a.type),
        ['SOA'],
      );
    });
  });

  describe('other records of the specification', () => {
    it('publishes the schema version as TXT on dns-version', () => {
      assert.deepEqual(data(ask('dns-version.cluster.local', 'TXT')), ['TXT 1.1.0']);
    });

    it('answers the address form of pod names (§2.6)', () => {
      assert.deepEqual(data(ask('10-42-1-7.default.pod.cluster.local')), ['A 10.42.1.7']);
      assert.equal(answered(ask('10-42-1-700.default.pod.cluster.local')).rcode, 'NXDOMAIN');
    });
  });

  describe('what is forwarded', () => {
    it('forwards names outside the cluster domain, and PTRs of addresses it does not know', () => {
      assert.deepEqual(ask('example.com'), { kind: 'forward' });
      assert.deepEqual(ask('cluster.local.example.com'), { kind: 'forward' });
      assert.deepEqual(ask('1.1.168.192.in-addr.arpa', 'PTR'), { kind: 'forward' });
    });

    it('owns only the configured cluster domain', () => {
      const edge = dnsRecords([web], [], 'Edge.Example');
      assert.deepEqual(data(lookupDns(edge, { name: 'web.default.svc.edge.example', type: 'A' })), [
        'A 10.43.0.10',
      ]);
      assert.deepEqual(lookupDns(edge, { name: 'web.default.svc.cluster.local', type: 'A' }), {
        kind: 'forward',
      });
    });
  });
});
