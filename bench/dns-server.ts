// The service DNS responder under load, in a child process: node --import tsx bench/dns-server.ts
// <services>. Its table holds <services> ClusterIP Services (every tenth headless, with five
// ready endpoints) in namespace bench; names outside cluster.local go to a stand-in upstream in
// this same process (answers every A question with 192.0.2.1), so a forwarded query costs one
// more loopback exchange and the upstream's work. Prints one line with the port when listening.
import { createSocket } from 'node:dgram';
import { decode, encode } from 'dns-packet';
import { DnsForwarder } from '../edge-agent/dns/dns-forwarder.js';
import { dnsRecords } from '../edge-agent/dns/dns-records.js';
import { DnsServer } from '../edge-agent/dns/dns-server.js';
import { benchServices } from './lib/dns-fixtures.js';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '1000');
  const upstream = createSocket('udp4');
  upstream.on('message', (message, from) => {
    const query = decode(message);
    const question = query.questions?.[0];
    const answer = encode({
      type: 'response',
      id: query.id,
      flags: 1 << 7,
      questions: query.questions,
      answers: question ? [{ name: question.name, type: 'A', ttl: 60, data: '192.0.2.1' }] : [],
    });
    upstream.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => upstream.bind(0, '127.0.0.1', resolve));
  const { services, slices } = benchServices(count);
  const server = await DnsServer.start({
    address: '127.0.0.1',
    port: 0,
    records: dnsRecords(services, slices, 'cluster.local'),
    forwarder: new DnsForwarder({
      upstreams: () => [{ address: '127.0.0.1', port: upstream.address().port }],
    }),
  });
  process.stdout.write(`dns server on ${server.port}\n`);
}

void main();
