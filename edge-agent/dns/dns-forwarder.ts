// Forwards queries for names outside the cluster domain to the host's resolvers, in the order
// resolv.conf lists them: UDP first, the same upstream again over TCP when its answer comes
// back truncated, the next upstream after a timeout, an error or a SERVFAIL/REFUSED. Each
// exchange uses a fresh socket (a random source port) and a fresh message id, and only an
// answer from that upstream to that id and question is taken (RFC 5452).
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIP, connect as tcpConnect } from 'node:net';
import { decode } from 'dns-packet';
import { isTruncated, rcodeOf } from './dns-response.js';
import { frame, TcpFrames } from './tcp-frames.js';

export interface Upstream {
  address: string;
  port: number;
}

export interface ForwarderOptions {
  /** Read for every query: the host's resolvers may change while the agent runs. */
  upstreams: () => readonly Upstream[];
  /** Per exchange with one upstream; default 2000 ms (glibc waits 5 s for the whole query). */
  timeoutMs?: number;
}

const SERVFAIL = 2;
const REFUSED = 5;

function questionKey(message: Buffer): string | undefined {
  try {
    const question = decode(message).questions?.[0];
    return question ? `${question.name.toLowerCase()}/${question.type}/${question.class}` : undefined;
  } catch {
    return undefined;
  }
}

/** The query with a new id; answers are matched on it and given back the client's id. */
function withId(message: Buffer, id: number): Buffer {
  const copy = Buffer.from(message);
  copy.writeUInt16BE(id, 0);
  return copy;
}

function matches(answer: Buffer, id: number, question: string | undefined): boolean {
  return (
    answer.length >= 12 &&
    answer.readUInt16BE(0) === id &&
    (answer.readUInt16BE(2) & 0x8000) !== 0 &&
    questionKey(answer) === question
  );
}

function exchangeUdp(upstream: Upstream, query: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
  const question = questionKey(query);
  const socket = createSocket(isIP(upstream.address) === 6 ? 'udp6' : 'udp4');
  let timer: NodeJS.Timeout | undefined;
  return new Promise<Buffer>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    // Connected: only that upstream's datagrams arrive, and an ICMP port unreachable fails
    // the exchange at once (ECONNREFUSED) instead of after the timeout.
    socket.on('error', reject);
    socket.on('message', (answer) => {
      if (matches(answer, id, question)) resolve(answer);
    });
    socket.connect(upstream.port, upstream.address, () => socket.send(query));
  }).finally(() => {
    clearTimeout(timer);
    socket.close();
  });
}

function exchangeTcp(upstream: Upstream, query: Buffer, id: number, timeoutMs: number): Promise<Buffer> {
  const question = questionKey(query);
  const socket = tcpConnect({ host: upstream.address, port: upstream.port });
  const frames = new TcpFrames();
  return new Promise<Buffer>((resolve, reject) => {
    socket.setTimeout(timeoutMs, () => reject(new Error(`no answer within ${timeoutMs} ms over TCP`)));
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before an answer')));
    socket.on('data', (chunk) => {
      const answer = frames.push(chunk).find((message) => matches(message, id, question));
      if (answer) resolve(answer);
    });
    socket.write(frame(query));
  }).finally(() => socket.destroy());
}

export class DnsForwarder {
  private readonly timeoutMs: number;

  constructor(private readonly options: ForwarderOptions) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  /** The upstream's answer with the client's id, or undefined when no upstream gave one (SERVFAIL). */
  async forward(query: Buffer): Promise<Buffer | undefined> {
    if (query.length < 12) return undefined;
    const clientId = query.readUInt16BE(0);
    let fallback: Buffer | undefined;
    for (const upstream of this.options.upstreams()) {
      const id = randomInt(0, 0x10000);
      const sent = withId(query, id);
      try {
        let answer = await exchangeUdp(upstream, sent, id, this.timeoutMs);
        if (isTruncated(answer)) answer = await exchangeTcp(upstream, sent, id, this.timeoutMs);
        answer.writeUInt16BE(clientId, 0);
        const rcode = rcodeOf(answer);
        if (rcode !== SERVFAIL && rcode !== REFUSED) return answer;
        fallback = answer;
      } catch {
        // Timeout, refused connection, unreachable network: the next upstream may do better.
      }
    }
    return fallback;
  }
}
