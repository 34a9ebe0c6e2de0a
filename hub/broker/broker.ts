import type { Logger } from '../../api/logger.js';
// The embedded MQTT broker: aedes behind a TLS listener (MQTT over TLS, the IANA port 8883 by
// default), optionally a WebSocket listener over TLS (wss, for dashboards in browsers and
// gateways behind HTTP-only proxies) and, only when asked for, a plain TCP listener. Policy
// lives in broker-hooks.ts; this file only wires listeners and the presence a dropped session
// leaves.

import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { Aedes, type Client } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { encodePayload } from '../../api/mqtt/codec.js';
import type { Presence } from '../../api/mqtt/payloads/presence.js';
import { refusalOf } from '../../api/mqtt/payloads/refusal.js';
import { buildTopic, routes } from '../../api/mqtt/route-table.js';
import { addAcceptors } from './accept-fanout.js';
import { brokerHooks, type RefuseFn } from './broker-hooks.js';
import type { BrokerTokens } from './broker-tokens.js';
import { deliverOutOfOrder, forwardOnce } from './delivery-order.js';
import { publishAsHub } from './hub-link.js';
import type { NodeCredentials } from './node-credentials.js';
import { NodeSessions } from './node-sessions.js';
import { boundOfflineQueues } from './offline-queue.js';
import { guardedConnection } from './packet-size-guard.js';
import { indexRetained } from './retained-index.js';

export interface BrokerTls {
  certPem: string;
  keyPem: string;
  /**
   * Sent after the certificate, so the chain a client sees ends in the CA: an agent checks it
   * against the pin in its join string before it trusts it (api/mqtt/join-string.ts).
   */
  caPem: string;
}

export interface BrokerOptions {
  tokens: BrokerTokens;
  /** Each node name's bound key (and the bootstrap tokens that may bind one). */
  credentials: NodeCredentials;
  bind: string;
  tls: BrokerTls;
  /** MQTT over TLS; 0 picks a free port. */
  port: number;
  /** MQTT over WebSocket over TLS (wss); undefined for none, 0 picks a free one. */
  wsPort?: number | undefined;
  /** Plain MQTT over TCP, no TLS (`--mqtt-insecure-port`); undefined for none, 0 picks a free one. */
  insecurePort?: number | undefined;
  log: Logger;
}

export interface RunningBroker {
  aedes: Aedes;
  sessions: NodeSessions;
  /**
   * Opens the listeners. Until then connections are refused by the kernel, at no cost to the
   * hub: the hub calls it once edge sync listens and its controllers run. A listener opened
   * earlier let the kernel queue gateways' connections while the hub's start replayed every
   * stored object (11 s at 10,000 gateways, the event loop blocked): the accept queue overflowed,
   * those gateways waited out TCP's SYN back-off and then their CONNACK timeout, and came back a
   * minute later as a second wave.
   */
  listen(): Promise<void>;
  /** The TLS port, once listening. */
  readonly port: number | undefined;
  readonly wsPort: number | undefined;
  readonly insecurePort: number | undefined;
  close(): Promise<void>;
}

// Our deepest topic has 7 levels; anything much deeper is garbage, refused before routing.
const maxTopicLevels = 16;
// The largest packet a client may send is a desired state (8 MiB payload), from a hub-role client.
const maxPacketBytes = routes.desired.maxBytes + 64 * 1024;
// Messages a gateway may send before its session is set up (presence, register, a burst of
// queued status after reconnect) without being cut off.
const queueLimit = 256;
// What may wait to be written to one connection before it is cut off (with a log line): two of
// the largest packets.
const maxBufferedBytes = 2 * maxPacketBytes;
// A TLS handshake has as long as an MQTT CONNECT (aedes' connectTimeout): a client that opens
// connections and never finishes them holds no socket for Node's default 120 s.
const handshakeTimeoutMs = 15_000;

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const { log } = options;
  const sessions = new NodeSessions();
  let broker: Aedes | undefined;
  const refuse: RefuseFn = (node, route, reason) => {
    if (broker && !broker.closed) publishRefusal(broker, node, route, reason, log);
  };
  const aedes = await Aedes.createBroker({
    ...brokerHooks(options.tokens, sessions, options.credentials, log, refuse),
    authorizeForward: forwardOnce(),
    // No cap on deliveries in flight. At aedes' default (100) a backlog queues in its emitter,
    // which drains it by recursion: once slow deliveries (a big join, a gateway that reads
    // slowly) filled the 100, a run of messages nobody subscribes to ($SYS, dropped payloads)
    // overflowed the stack and took the hub down (RangeError at 2,000 and 5,000 gateways).
    // Each connection's write bound and the gateways' rate limits bound what is in flight.
    concurrency: 0,
    maxTopicLevels,
    queueLimit,
    connectTimeout: 15_000,
  });
  broker = aedes;
  boundOfflineQueues(aedes, log);
  indexRetained(aedes);
  // Persistence failures are emitted as 'error'; unhandled, that event would end the process.
  (aedes as EventEmitter).on('error', (err: Error) => log.warn(`broker error: ${err.message}`));
  aedes.on('clientDisconnect', (client: Client) => {
    try {
      publishOffline(aedes, sessions, client, log);
    } catch (err) {
      log.warn(`presence of ${client.id} not published: ${(err as Error).message}`);
    }
  });

  // Every open socket, so close() can end them: a listener's close() waits for all of them, and
  // thousands of gateways reconnecting (mid-handshake, or before CONNECT) kept a SIGTERM waiting.
  const sockets = new Set<Socket>();
  let closing = false;
  const track = (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const clientOf = new WeakMap<object, string>();
  aedes.on('client', (client: Client) => clientOf.set(client.conn, client.id));
  const handle = (conn: Duplex, request?: IncomingMessage) => {
    try {
      const connection: Duplex = guardedConnection(
        conn,
        maxPacketBytes,
        (err) => log.info(`connection closed: ${err.message}`),
        {
          maxBufferedBytes,
          onOverflow: (buffered) => {
            const who = clientOf.get(connection);
            log.warn(
              `${who ? `client ${who}` : 'connection'} dropped: ${buffered} bytes waiting to be written (limit ${maxBufferedBytes}); it is not reading`,
            );
          },
        },
      );
      deliverOutOfOrder(aedes.handle(connection, request), aedes);
    } catch (err) {
      log.warn(`connection not handled: ${(err as Error).message}`);
      conn.destroy();
    }
  };
  const tlsOptions: TlsOptions = {
    cert: `${options.tls.certPem.trimEnd()}\n${options.tls.caPem}`,
    key: options.tls.keyPem,
    minVersion: 'TLSv1.2',
    handshakeTimeout: handshakeTimeoutMs,
    // Without it a CONNACK over TLS waited 40 ms for the client's delayed ACK (Nagle), which made
    // a TLS connect 52 ms instead of 7 (bench/mqtt-tls.bench.ts); MQTT's packets are small.
    noDelay: true,
  };
  const servers: Array<{ server: Server; what: string }> = [];
  /** More descriptors of the listeners' sockets (accept-fanout.ts), once they have come. */
  const acceptors: Server[] = [];
  let fanningOut: Promise<unknown> = Promise.resolve();
  const closeServers = async () => {
    // A helper process may still hold a copy: the port is free only once it has handed them all.
    await fanningOut;
    await Promise.all(
      [...servers, ...acceptors.map((server) => ({ server }))]
        .filter(({ server }) => server.listening)
        .map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  };
  let ws: WebSocketServer | undefined;
  const listenAll = async () => {
    try {
      const tls = createTlsServer(tlsOptions, (socket) => handle(socket));
      servers.push({ server: tls, what: 'TLS' });
      await listen(tls, options.port, options.bind);
      if (options.insecurePort !== undefined) {
        const tcp = createServer({ noDelay: true }, (socket) => handle(socket));
        servers.push({ server: tcp, what: 'insecure TCP' });
        await listen(tcp, options.insecurePort, options.bind);
      }
      if (options.wsPort !== undefined) {
        const https = createHttpsServer(tlsOptions);
        servers.push({ server: https, what: 'WebSocket' });
        ws = attachWebSocket(https, handle);
        await listen(https, options.wsPort, options.bind);
      }
      for (const { server } of servers) server.on('connection', track);
      for (const { server, what } of servers)
        server.on('error', (err) => log.warn(`${what} listener error: ${err.message}`));
      // Not awaited: listen() resolves as soon as the listeners take connections, because the
      // hub's start counts on that turn (hub/main.ts starts Sparkplug in it, before any presence
      // can arrive). The copies add accepts per pass a moment later; close() waits for them.
      fanningOut = Promise.all(servers.map(({ server }) => addAcceptors(server, log))).then((copies) => {
        acceptors.push(...copies.flat());
      });
    } catch (err) {
      await closeServers();
      throw err;
    }
  };
  const portOf = (what: string) => {
    const found = servers.find((s) => s.what === what)?.server;
    return found?.listening ? (found.address() as AddressInfo).port : undefined;
  };
  let listening: Promise<void> | undefined;
  return {
    aedes,
    sessions,
    listen: () => {
      listening ??= listenAll();
      return listening;
    },
    get port() {
      return portOf('TLS');
    },
    get wsPort() {
      return portOf('WebSocket');
    },
    get insecurePort() {
      return portOf('insecure TCP');
    },
    close: async () => {
      // Stop accepting first (gateways reconnect at once), then end the sessions, then every
      // connection left (mid-handshake, before CONNECT): nothing waits for a peer.
      closing = true;
      const listenersClosed = closeServers();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      for (const socket of ws?.clients ?? []) socket.terminate();
      for (const socket of sockets) socket.destroy();
      await listenersClosed;
    },
  };
}

/**
 * A node's session ended (clean DISCONNECT, dropped socket, keep-alive timeout): publish its
 * retained presence "offline" at once. A Will does the same for an unclean end, but a clean
 * DISCONNECT sends no Will [MQTT-3.1.2-10] and a gateway may set none.
 */
function publishOffline(aedes: Aedes, sessions: NodeSessions, client: Client, log: Logger): void {
  const who = sessions.identity(client);
  if (who?.role !== 'node' || !sessions.release(who.node, client) || aedes.closed) return;
  const presence: Presence = { state: 'offline', since: Date.now() };
  publishAsHub(
    aedes,
    buildTopic(routes.presence, { node: who.node }),
    encodePayload(presence),
    { qos: 1, retain: true },
    (err) => log.warn(`could not publish presence of ${who.node}: ${err.message}`),
  );
}

function publishRefusal(aedes: Aedes, node: string, route: string, reason: string, log: Logger) {
  publishAsHub(
    aedes,
    buildTopic(routes.refused, { node }),
    encodePayload(refusalOf(route, [{ reason }])),
    { qos: routes.refused.qos, retain: false },
    (err) => log.warn(`could not tell ${node} of its refused ${route}: ${err.message}`),
  );
}

/**
 * Connections the kernel holds for the broker until it accepts them. Node's default, 511, is
 * what a whole fleet reconnecting to a restarted hub overflows: the kernel drops the SYNs past it
 * and each of those gateways waits out TCP's retransmission back-off (1, 3, 7, 15, 31 s…) before
 * it even reaches the hub (1.9 million listen overflows counted while 10,000 gateways came back).
 * The kernel caps this at net.core.somaxconn (4096 on current kernels).
 */
const listenBacklog = 65_535;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: listenBacklog }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** MQTT over WebSocket on `server` (the https server, so wss). */
function attachWebSocket(
  server: HttpsServer,
  handle: (conn: Duplex, request: IncomingMessage) => void,
): WebSocketServer {
  const ws = new WebSocketServer({ server, maxPayload: maxPacketBytes + 16 });
  ws.on('connection', (socket, request) => {
    const stream = createWebSocketStream(socket);
    stream.on('error', () => socket.terminate());
    handle(stream, request);
  });
  // Errors of the underlying server are the https server's to report.
  ws.on('error', () => {});
  return ws;
}
