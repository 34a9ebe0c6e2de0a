// Test ends of the DNS wire: a client that asks over UDP or TCP, and a stand-in for the host's
// resolver (there is no network here) answering from a handler on both transports of one port.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import {
  type DecodedPacket,
  decode,
  encode,
  type Packet,
  RECURSION_DESIRED,
  type RecordType,
} from 'dns-packet';
import { frame, TcpFrames } from '../../../edge-agent/dns/tcp-frames.js';

export function aQuery(name: string, type: RecordType = 'A', extra: Partial<Packet> = {}): Packet {
  return {
    type: 'query',
    id: Math.floor(Math.random() * 0xffff),
    flags: RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    ...extra,
  };
}

export function rcodeOf(packet: DecodedPacket): string {
  return (packet as DecodedPacket & { rcode: string }).rcode;
}

export async function askUdp(
  port: number,
  query: Packet | Buffer,
  timeoutMs = 3_000,
): Promise<DecodedPacket> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<DecodedPacket>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no UDP answer')), timeoutMs);
      socket.on('message', (message) => {
        clearTimeout(timer);
        resolve(decode(message));
      });
      socket.send(Buffer.isBuffer(query) ? query : encode(query), port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

export async function askTcp(port: number, query: Packet, timeoutMs = 3_000): Promise<DecodedPacket> {
  const socket = connect({ host: '127.0.0.1', port });
  const frames = new TcpFrames();
  try {
    return await new Promise<DecodedPacket>((resolve, reject) => {
      socket.setTimeout(timeoutMs, () => reject(new Error('no TCP answer')));
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        const [message] = frames.push(chunk);
        if (message) resolve(decode(message));
      });
      socket.write(frame(encode(query)));
    });
  } finally {
    socket.destroy();
  }
}

export type UpstreamHandler = (query: DecodedPacket, transport: 'udp' | 'tcp') => Packet | undefined;

/** Answers over UDP and TCP on one address and port; `undefined` from the handler: silence. */
export class FakeUpstream {
  readonly seen: { name: string; type: string; id: number; transport: 'udp' | 'tcp' }[] = [];
  private readonly connections = new Set<Socket>();

  private constructor(
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
    private readonly handler: UpstreamHandler,
  ) {}

  /**
   * On 127.0.0.1 at a free port unless told otherwise (the e2e test needs port 53). UDP and TCP
   * share the number: a free UDP port's TCP twin may be taken by another process, so a picked
   * port is tried again a few times.
   */
  static async start(handler: UpstreamHandler, address = '127.0.0.1', port = 0): Promise<FakeUpstream> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await FakeUpstream.listen(handler, address, port);
      } catch (err) {
        const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (!(taken && port === 0 && attempt < 10)) throw err;
      }
    }
  }

  private static async listen(
    handler: UpstreamHandler,
    address: string,
    port: number,
  ): Promise<FakeUpstream> {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, address, resolve);
    });
    const tcp = createServer();
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(udp.address().port, address, resolve);
    }).catch((err) => {
      udp.close();
      throw err;
    });
    const upstream = new FakeUpstream(udp, tcp, handler);
    upstream.serve();
    return upstream;
  }

  get port(): number {
    return this.udp.address().port;
  }

  private answer(message: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
    const query = decode(message);
    const question = query.questions?.[0];
    this.seen.push({ name: question?.name ?? '', type: question?.type ?? '', id: query.id ?? 0, transport });
    const response = this.handler(query, transport);
    return response
      ? encode({ type: 'response', id: query.id, questions: query.questions, ...response })
      : undefined;
  }

  private serve(): void {
    this.udp.on('message', (message, from) => {
      const response = this.answer(message, 'udp');
      if (response) this.udp.send(response, from.port, from.address);
    });
    this.tcp.on('connection', (socket) => {
      this.connections.add(socket);
      socket.on('close', () => this.connections.delete(socket));
      const frames = new TcpFrames();
      socket.on('data', (chunk) => {
        for (const message of frames.push(chunk)) {
          const response = this.answer(message, 'tcp');
          if (response) socket.write(frame(response));
        }
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => this.udp.close(() => resolve())),
      new Promise<void>((resolve) => this.tcp.close(() => resolve())),
    ]);
  }
}
