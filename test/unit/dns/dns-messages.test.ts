import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Answer, decode, encode, type Packet } from 'dns-packet';
import { silentLogger } from '../../../api/logger.js';
import { encodeResponse, fitRelayed, udpLimitOf } from '../../../edge-agent/dns/dns-response.js';
import { HostResolvConf } from '../../../edge-agent/dns/resolv-conf.js';
import { frame, TcpFrames } from '../../../edge-agent/dns/tcp-frames.js';

function manyAnswers(count: number): Answer[] {
  return Array.from({ length: count }, (_, i) => ({
    name: 'db.default.svc.cluster.local',
    type: 'A' as const,
    ttl: 5,
    data: `10.42.0.${i + 1}`,
  }));
}

const question = [{ name: 'db.default.svc.cluster.local', type: 'A' as const, class: 'IN' as const }];

describe('DNS messages on the wire', () => {
  it('splits a TCP stream into messages however the reads cut it', () => {
    const a = encode({ type: 'query', id: 1, questions: question });
    const b = encode({ type: 'query', id: 2, questions: question });
    const stream = Buffer.concat([frame(a), frame(b)]);
    const frames = new TcpFrames();
    const got = [
      stream.subarray(0, 1),
      stream.subarray(1, a.length + 5),
      stream.subarray(a.length + 5),
    ].flatMap((chunk) => frames.push(chunk));
    assert.deepEqual(
      got.map((m) => decode(m).id),
      [1, 2],
    );
  });

  it('takes 512 bytes as the UDP limit without EDNS, the advertised size (at most 1232) with it', () => {
    assert.equal(udpLimitOf({ questions: question }), 512);
    const withOpt = (size: number): Packet => ({
      questions: question,
      additionals: [
        {
          name: '.',
          type: 'OPT',
          udpPayloadSize: size,
          extendedRcode: 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ],
    });
    assert.equal(udpLimitOf(withOpt(4096)), 1232);
    assert.equal(udpLimitOf(withOpt(100)), 512);
  });

  it('truncates a response over the limit: TC set, question kept, no records', () => {
    const response: Packet = {
      type: 'response',
      id: 9,
      flags: 1 << 10,
      questions: question,
      answers: manyAnswers(60),
    };
    assert.ok(encode(response).length > 512);
    const cut = decode(encodeResponse(response, 512));
    assert.equal(cut.flag_tc, true);
    assert.equal(cut.flag_aa, true);
    assert.deepEqual(cut.questions, question);
    assert.deepEqual(cut.answers, []);
    assert.equal(decode(encodeResponse(response)).answers?.length, 60, 'no limit over TCP');
    const relayed = encode(response);
    assert.equal(decode(fitRelayed(relayed, 512)).flag_tc, true);
    assert.equal(fitRelayed(relayed, 4096), relayed);
  });
});

describe('the host resolv.conf', () => {
  it('is read again when the file changes, and reads as empty when it is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-resolv-'));
    const path = join(dir, 'resolv.conf');
    let now = 0;
    const host = new HostResolvConf(path, silentLogger, 1000, () => now);
    try {
      assert.deepEqual(host.current().nameservers, []);
      writeFileSync(path, 'nameserver 10.0.0.1\n');
      assert.deepEqual(host.current().nameservers, [], 'not looked at again within the interval');
      now += 1000;
      assert.deepEqual(host.current().nameservers, ['10.0.0.1']);
      writeFileSync(path, 'nameserver 10.0.0.2\nnameserver 10.0.0.3\n');
      now += 1000;
      assert.deepEqual(host.current().nameservers, ['10.0.0.2', '10.0.0.3']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
