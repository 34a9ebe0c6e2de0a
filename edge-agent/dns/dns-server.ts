import { type Logger, silentLogger } from '../../api/logger.js';
// The service DNS responder: UDP and TCP on one address and port. Names in the cluster domain
// (and PTRs of service addresses) are answered from the record table; everything else goes to
// the forwarder. Malformed queries get FORMERR, other opcodes NOTIMP, a failed forward SERVFAIL.

import { randomInt } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { type Answer, type DecodedPacket, decode, encode, RECURSION_DESIRED } from 'dns-packet';
import type { AgentObserver } from '../metrics/agent-observer.js';
import type { DnsForwarder } from './dns-forwarder.js';
import { lookupDns } from './dns-lookup.js';
import type { DnsRecords } from './dns-records.js';
import {
  answerResponse,
  encodeResponse,
  errorResponse,
  fitRelayed,
  formatErrorFor,
  udpLimitOf,
} from './dns-response.js';
import { frame, TcpFrames } from './tcp-frames.js';

export interface DnsServerOptions {
  address: string;
  /** 53 for pods (resolv.conf has no port); 0 picks a free one, the same for UDP and TCP. */
  port: number;
  records: DnsRecords;
  forwarder: DnsForwarder;
  log?: Logger;
  /** Counts the queries answered (the agent's metrics). */
  observer?: AgentObserver | undefined;
  /** Forwarded queries in flight at once; beyond, SERVFAIL at once (a runaway pod must not exhaust the agent's sockets). */
  maxInFlight?: number;
  /** An idle TCP connection is closed after this long (RFC 7766 §6.2.3); default 10 s. */
  tcpIdleMs?: number;
}

type Transport = 'udp' | 'tcp';

export class DnsServer {
  private records: DnsRecords;
  private inFlight = 0;
  private readonly connections = new Set<Socket>();

  private constructor(
    private readonly options: DnsServerOptions,
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
  ) {
    this.records = options.records;
  }

  static async start(options: DnsServerOptions): Promise<DnsServer> {
    // With port 0 the TCP listener takes the port UDP got; rarely that one is taken for TCP.
    for (let attempt = 0; ; attempt++) {
      const udp = createSocket({ type: isIP(options.address) === 6 ? 'udp6' : 'udp4' });
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(options.port, options.address, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      const tcp = createServer();
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen(udp.address().port, options.address, () => {
            tcp.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        udp.close();
        if (options.port !== 0 || attempt >= 4 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE')
          throw err;
        continue;
      }
      const server = new DnsServer(options, udp, tcp);
      server.serve();
      return server;
    }
  }

  get port(): number {
    return this.udp.address().port;
  }

  setRecords(records: DnsRecords): void {
    this.records = records;
  }

  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => this.udp.close(() => resolve())),
      new Promise<void>((resolve) => this.tcp.close(() => resolve())),
    ]);
  }

  /** The response to one query message; undefined: nothing to send. */
  async respond(raw: Buffer, transport: Transport): Promise<Buffer | undefined> {
    let query: DecodedPacket;
    try {
      query = decode(raw);
    } catch {
      return formatErrorFor(raw);
    }
    if (query.flag_qr) return undefined;
    const limit = transport === 'udp' ? udpLimitOf(query) : undefined;
    const opcode = ((query.flags ?? 0) >> 11) & 0xf;
    if (opcode !== 0) return encodeResponse(errorResponse(query, 'NOTIMP'), limit);
    const question = query.questions?.[0];
    if (!question || query.questions!.length !== 1)
      return encodeResponse(errorResponse(query, 'FORMERR'), limit);
    const result = lookupDns(this.records, question);
    this.options.observer?.dnsQuery?.(transport, result.kind === 'forward' ? 'upstream' : 'cluster');
    if (result.kind === 'forward') {
      const answer = await this.forward(raw);
      return answer ? fitRelayed(answer, limit) : encodeResponse(errorResponse(query, 'SERVFAIL'), limit);
    }
    if (result.chase) result.answers.push(...(await this.chase(result.chase.name, result.chase.type)));
    return encodeResponse(answerResponse(query, result), limit);
  }

  private async forward(query: Buffer): Promise<Buffer | undefined> {
    if (this.inFlight >= (this.options.maxInFlight ?? 512)) return undefined;
    this.inFlight += 1;
    try {
      return await this.options.forwarder.forward(query);
    } finally {
      this.inFlight -= 1;
    }
  }

  /** An ExternalName's target, resolved upstream (§2.5's example answer carries both). */
  private async chase(name: string, type: string): Promise<Answer[]> {
    const query = encode({
      type: 'query',
      id: randomInt(0, 0x10000),
      flags: RECURSION_DESIRED,
      questions: [{ name, type: type as 'A', class: 'IN' }],
    });
    const answer = await this.forward(query);
    if (!answer) return [];
    try {
      return decode(answer).answers ?? [];
    } catch {
      return [];
    }
  }

  private serve(): void {
    const log = this.options.log ?? silentLogger;
    this.udp.on('message', (message, from) => {
      this.respond(message, 'udp').then(
        (response) => {
          if (response) this.udp.send(response, from.port, from.address);
        },
        (err: Error) => log.warn(`query from ${from.address} failed: ${err.message}`),
      );
    });
    this.udp.on('error', (err) => log.info(`UDP socket: ${err.message}`));
    this.tcp.on('connection', (socket) => this.serveTcp(socket, log));
    this.tcp.on('error', (err) => log.info(`TCP listener: ${err.message}`));
  }

  private serveTcp(socket: Socket, log: Logger): void {
    this.connections.add(socket);
    const frames = new TcpFrames();
    socket.setTimeout(this.options.tcpIdleMs ?? 10_000, () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      for (const message of frames.push(chunk)) {
        this.respond(message, 'tcp').then(
          (response) => {
            if (response && !socket.destroyed) socket.write(frame(response));
          },
          (err: Error) => log.warn(`TCP query failed: ${err.message}`),
        );
      }
    });
  }
}
