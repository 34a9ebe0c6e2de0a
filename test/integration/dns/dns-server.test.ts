// The real responder on 127.0.0.1 (a free port), asked over UDP and TCP with dns-packet, with a
// local stand-in for the host's resolver behind its forwarder.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { DnsForwarder, type Upstream } from '../../../edge-agent/dns/dns-forwarder.js';
import { dnsRecords } from '../../../edge-agent/dns/dns-records.js';
import { DnsServer } from '../../../edge-agent/dns/dns-server.js';
import {
  aClusterIPService,
  aHeadlessService,
  anExternalNameService,
  aSliceFor,
} from '../../unit/dns/dns-builders.js';
import { aQuery, askTcp, askUdp, FakeUpstream, rcodeOf } from './dns-wire.js';

const AUTHORITATIVE = 1 << 10;
const RECURSION_AVAILABLE = 1 << 7;

function addresses(packet: DecodedPacket): string[] {
  return (packet.answers ?? []).flatMap((a) => (a.type === 'A' ? [a.data] : [])).sort();
}

function manyAddresses(count: number): Answer[] {
  return Array.from({ length: count }, (_, i) => ({
    name: 'big.example',
    type: 'A' as const,
    ttl: 60,
    data: `192.0.2.${i + 1}`,
  }));
}

/** The host resolver stand-in: a few names, one that is only complete over TCP, one it ignores. */
function hostResolver(query: DecodedPacket, transport: 'udp' | 'tcp'): Packet | undefined {
  const question = query.questions?.[0];
  const name = question?.name.toLowerCase();
  if (name === 'example.com' || name === 'www.example.com') {
    return {
      flags: RECURSION_AVAILABLE,
      answers: [{ name: question!.name, type: 'A', ttl: 60, data: '93.184.216.34' }],
    };
  }
  if (name === 'big.example') {
    // Too big for UDP: the real resolver would set TC and leave the answer to TCP.
    return transport === 'udp' ? { flags: (1 << 9) | RECURSION_AVAILABLE } : { answers: manyAddresses(40) };
  }
  if (name === 'slow.example') return undefined;
  return { flags: RECURSION_AVAILABLE | 3 };
}

describe('service DNS server over UDP and TCP', function () {
  this.timeout(20_000);
  let server: DnsServer;
  let upstream: FakeUpstream;
  let upstreams: Upstream[] = [];

  const db = aHeadlessService('db', [{ name: 'pg', port: 5432 }]);
  const services = [
    aClusterIPService('web', '10.43.0.10'),
    db,
    anExternalNameService('docs', 'www.example.com'),
  ];
  const slices = [
    aSliceFor(db, [{ ip: '10.42.1.5', hostname: 'db-0' }, { ip: '10.42.1.6' }], [{ name: 'pg', port: 5432 }]),
  ];

  before(async () => {
    upstream = await FakeUpstream.start(hostResolver);
    server = await DnsServer.start({
      address: '127.0.0.1',
      port: 0,
      records: dnsRecords(services, slices, 'cluster.local', 7),
      forwarder: new DnsForwarder({ upstreams: () => upstreams, timeoutMs: 300 }),
    });
  });

  beforeEach(() => {
    upstreams = [{ address: '127.0.0.1', port: upstream.port }];
  });

  after(async () => {
    await server?.close();
    await upstream?.close();
  });

  it('answers a Service name over UDP, authoritatively, with the query id', async () => {
    const query = aQuery('web.default.svc.cluster.local');
    const answer = await askUdp(server.port, query);
    assert.equal(answer.id, query.id);
    assert.equal(rcodeOf(answer), 'NOERROR');
    assert.ok((answer.flags ?? 0) & AUTHORITATIVE);
    assert.deepEqual(addresses(answer), ['10.43.0.10']);
  });

  it('answers over TCP the same way', async () => {
    const answer = await askTcp(server.port, aQuery('db.default.svc.cluster.local'));
    assert.deepEqual(addresses(answer), ['10.42.1.5', '10.42.1.6']);
    const srv = await askTcp(server.port, aQuery('_pg._tcp.db.default.svc.cluster.local', 'SRV'));
    assert.equal(srv.answers?.length, 2);
    assert.equal(srv.additionals?.filter((a) => a.type === 'A').length, 2);
  });

  it('answers NXDOMAIN with the SOA for a missing name in the cluster domain, without asking upstream', async () => {
    const before = upstream.seen.length;
    const answer = await askUdp(server.port, aQuery('nope.default.svc.cluster.local'));
    assert.equal(rcodeOf(answer), 'NXDOMAIN');
    assert.equal(answer.authorities?.[0]?.type, 'SOA');
    assert.equal(upstream.seen.length, before);
  });

  it('forwards other names to the host resolver and relays its answer under the client id', async () => {
    const query = aQuery('Example.COM');
    const answer = await askUdp(server.port, query);
    assert.equal(answer.id, query.id);
    assert.deepEqual(addresses(answer), ['93.184.216.34']);
    const asked = upstream.seen.at(-1);
    assert.equal(asked?.name, 'Example.COM');
    assert.notEqual(asked?.id, query.id, 'the upstream sees an id of our own');
  });

  it('retries a truncated upstream answer over TCP, and truncates it for a UDP client without EDNS', async () => {
    const overTcp = await askTcp(server.port, aQuery('big.example'));
    assert.equal(overTcp.answers?.length, 40);
    assert.deepEqual(
      upstream.seen.filter((s) => s.name === 'big.example').map((s) => s.transport),
      ['udp', 'tcp'],
    );
    const overUdp = await askUdp(server.port, aQuery('big.example'));
    assert.equal(overUdp.flag_tc, true);
    assert.equal(overUdp.answers?.length, 0);
  });

  it('answers SERVFAIL when the upstream does not answer in time', async () => {
    const answer = await askUdp(server.port, aQuery('slow.example'));
    assert.equal(rcodeOf(answer), 'SERVFAIL');
    assert.equal(upstream.seen.at(-1)?.name, 'slow.example', 'the upstream was asked');
  });

  it('moves on to the next upstream when one is silent, one has no listener and one refuses', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const closed = createSocket('udp4');
    await new Promise<void>((resolve) => closed.bind(0, '127.0.0.1', resolve));
    const closedPort = closed.address().port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refusing = await FakeUpstream.start(() => ({ flags: RECURSION_AVAILABLE | 5 }));
    try {
      upstreams = [
        { address: '127.0.0.1', port: silent.address().port },
        { address: '127.0.0.1', port: closedPort },
        { address: '127.0.0.1', port: refusing.port },
        { address: '127.0.0.1', port: upstream.port },
      ];
      assert.deepEqual(addresses(await askUdp(server.port, aQuery('example.com'))), ['93.184.216.34']);
      assert.equal(refusing.seen.length, 1);
      upstreams = [{ address: '127.0.0.1', port: refusing.port }];
      assert.equal(
        rcodeOf(await askUdp(server.port, aQuery('example.com'))),
        'REFUSED',
        'when every upstream refuses, the client gets the refusal',
      );
    } finally {
      silent.close();
      await refusing.close();
    }
  });

  it('answers SERVFAIL when there is no upstream at all', async () => {
    upstreams = [];
    assert.equal(rcodeOf(await askUdp(server.port, aQuery('example.com'))), 'SERVFAIL');
  });

  it('answers an ExternalName Service with the CNAME and the upstream address of its target', async () => {
    const answer = await askUdp(server.port, aQuery('docs.default.svc.cluster.local'));
    assert.deepEqual(
      answer.answers?.map((a) => `${a.type} ${(a as { data: string }).data}`),
      ['CNAME www.example.com', 'A 93.184.216.34'],
    );
  });

  it('answers with the table of the latest desired state', async () => {
    server.setRecords(dnsRecords([aClusterIPService('api', '10.43.0.20')], [], 'cluster.local', 8));
    try {
      assert.deepEqual(addresses(await askUdp(server.port, aQuery('api.default.svc.cluster.local'))), [
        '10.43.0.20',
      ]);
      assert.equal(rcodeOf(await askUdp(server.port, aQuery('web.default.svc.cluster.local'))), 'NXDOMAIN');
    } finally {
      server.setRecords(dnsRecords(services, slices, 'cluster.local', 7));
    }
  });

  it('answers FORMERR to a message it cannot decode, and NOTIMP to other opcodes', async () => {
    const garbage = Buffer.from('12340100000100000000000003', 'hex');
    const formerr = await askUdp(server.port, garbage);
    assert.equal(formerr.id, 0x1234);
    assert.equal(rcodeOf(formerr), 'FORMERR');
    const notify = aQuery('web.default.svc.cluster.local');
    notify.flags = 4 << 11; // opcode NOTIFY
    assert.equal(rcodeOf(await askUdp(server.port, notify)), 'NOTIMP');
  });

  it('echoes EDNS with an OPT record and lets larger answers through UDP', async () => {
    const answer = await askUdp(
      server.port,
      aQuery('db.default.svc.cluster.local', 'A', {
        additionals: [
          {
            name: '.',
            type: 'OPT',
            udpPayloadSize: 4096,
            extendedRcode: 0,
            ednsVersion: 0,
            flags: 0,
            flag_do: false,
            options: [],
          },
        ],
      }),
    );
    const opt = answer.additionals?.find((a) => a.type === 'OPT');
    assert.equal(opt?.type === 'OPT' && opt.udpPayloadSize, 1232);
  });
});
