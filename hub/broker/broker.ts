// The embedded MQTT broker: aedes behind a TCP listener and, optionally, a WebSocket listener
// (for dashboards in browsers and gateways behind HTTP-only proxies). Policy lives in
// broker-hooks.ts; this file only wires listeners and the presence a dropped session leaves.

import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type Client } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { encodePayload } from '../../api/mqtt/codec.js';
import type { Presence } from '../../api/mqtt/payloads/presence.js';
import { refusalOf } from '../../api/mqtt/payloads/refusal.js';
import { buildTopic, routes } from '../../api/mqtt/route-table.js';
import { brokerHooks, type RefuseFn } from './broker-hooks.js';
import type { BrokerTokens } from './broker-tokens.js';
import type { NodeCredentials } from './node-credentials.js';
import { NodeSessions } from './node-sessions.js';
import { guardedConnection } from './packet-size-guard.js';

export interface BrokerOptions {
  tokens: BrokerTokens;
  /** Each node name's bound key (and the bootstrap tokens that may bind one). */
  credentials: NodeCredentials;
  bind: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** WebSocket port; undefined for none, 0 picks a free one. */
  wsPort?: number | undefined;
  log: (line: string) => void;
}

export interface RunningBroker {
  aedes: Aedes;
  sessions: NodeSessions;
  port: number;
  wsPort: number | undefined;
  close(): Promise<void>;
}

// Our deepest topic has 7 levels; anything much deeper is garbage, refused before routing.
const maxTopicLevels = 16;
// The largest packet is a desired state (8 MiB payload) from the hub's own client.
const maxPacketBytes = routes.desired.maxBytes + 64 * 1024;
// Messages a gateway may send before its session is set up (presence, register, a burst of
// queued status after reconnect) without being cut off.
const queueLimit = 256;

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const { log } = options;
  const sessions = new NodeSessions();
  let broker: Aedes | undefined;
  const refuse: RefuseFn = (node, route, reason) => {
    if (broker && !broker.closed) publishRefusal(broker, node, route, reason, log);
  };
  const aedes = await Aedes.createBroker({
    ...brokerHooks(options.tokens, sessions, options.credentials, log, refuse),
    maxTopicLevels,
    queueLimit,
    connectTimeout: 15_000,
  });
  broker = aedes;
  // Persistence failures are emitted as 'error'; unhandled, that event would end the process.
  (aedes as EventEmitter).on('error', (err: Error) => log(`mqtt: broker error: ${err.message}`));
  aedes.on('clientDisconnect', (client: Client) => {
    try {
      publishOffline(aedes, sessions, client, log);
    } catch (err) {
      log(`mqtt: presence of ${client.id} not published: ${(err as Error).message}`);
    }
  });

  const handle = (conn: Duplex, request?: IncomingMessage) => {
    try {
      aedes.handle(
        guardedConnection(conn, maxPacketBytes, (err) => log(`mqtt: connection closed: ${err.message}`)),
        request,
      );
    } catch (err) {
      log(`mqtt: connection not handled: ${(err as Error).message}`);
      conn.destroy();
    }
  };
  const tcp = createServer((socket) => handle(socket));
  let ws: WebSocketServer | undefined;
  try {
    await listen(tcp, options.port, options.bind);
    tcp.on('error', (err) => log(`mqtt: TCP listener error: ${err.message}`));
    if (options.wsPort !== undefined) ws = await listenWebSocket(handle, options.wsPort, options.bind, log);
  } catch (err) {
    tcp.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw err;
  }
  const wsServer = ws;
  return {
    aedes,
    sessions,
    port: (tcp.address() as AddressInfo).port,
    wsPort: wsServer ? (wsServer.address() as AddressInfo).port : undefined,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (wsServer) {
        for (const socket of wsServer.clients) socket.terminate();
        await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      }
    },
  };
}

/**
 * A node's session ended (clean DISCONNECT, dropped socket, keep-alive timeout): publish its
 * retained presence "offline" at once. A Will does the same for an unclean end, but a clean
 * DISCONNECT sends no Will [MQTT-3.1.2-10] and a gateway may set none.
 */
function publishOffline(
  aedes: Aedes,
  sessions: NodeSessions,
  client: Client,
  log: (line: string) => void,
): void {
  const who = sessions.identity(client);
  if (who?.role !== 'node' || !sessions.release(who.node, client) || aedes.closed) return;
  const presence: Presence = { state: 'offline', since: Date.now() };
  aedes.publish(
    {
      cmd: 'publish',
      topic: buildTopic(routes.presence, { node: who.node }),
      payload: encodePayload(presence),
      qos: 1,
      retain: true,
      dup: false,
    },
    (err) => {
      if (err) log(`mqtt: could not publish presence of ${who.node}: ${err.message}`);
    },
  );
}

function publishRefusal(
  aedes: Aedes,
  node: string,
  route: string,
  reason: string,
  log: (line: string) => void,
) {
  aedes.publish(
    {
      cmd: 'publish',
      topic: buildTopic(routes.refused, { node }),
      payload: encodePayload(refusalOf(route, [{ reason }])),
      qos: routes.refused.qos,
      retain: false,
      dup: false,
    },
    (err) => {
      if (err) log(`mqtt: could not tell ${node} of its refused ${route}: ${err.message}`);
    },
  );
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function listenWebSocket(
  handle: (conn: Duplex, request: IncomingMessage) => void,
  port: number,
  host: string,
  log: (line: string) => void,
): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ port, host, maxPayload: maxPacketBytes + 16 });
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      server.on('error', (err) => log(`mqtt: WebSocket listener error: ${err.message}`));
      resolve(server);
    });
    server.on('connection', (socket, request) => {
      const stream = createWebSocketStream(socket);
      stream.on('error', () => socket.terminate());
      handle(stream, request);
    });
  });
}
