// Closes connections that hold the server without asking it anything. Node's own headersTimeout
// did not fire on the TLS server (a connection that finished the handshake and sent nothing, or
// half a request head, stayed open past 150 s), so each connection gets an absolute deadline for
// its next request head: headersTimeout from the TLS handshake, idle + headers timeout after an
// answer (Node closes a truly idle kept-alive connection at keepAliveTimeout itself; the deadline
// catches a client that dribbles a request head a byte at a time). A connection with a request in
// flight has no deadline here: the request timeout covers short requests, TCP keep-alive the dead
// peers of long-running ones.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type { Socket } from 'node:net';
import type { ApiServerLimits } from './request-limits.js';

type GuardLimits = Pick<
  ApiServerLimits,
  'headersTimeoutMs' | 'idleTimeoutMs' | 'requestTimeoutMs' | 'tcpKeepAliveMs'
>;

interface ConnectionState {
  inFlight: number;
  deadline?: NodeJS.Timeout | undefined;
}

export function guardConnections(server: Server, limits: GuardLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  server.keepAliveTimeout = limits.idleTimeoutMs;
  const states = new WeakMap<Socket, ConnectionState>();

  const arm = (socket: Socket, ms: number) => {
    const state = states.get(socket) ?? { inFlight: 0 };
    clearTimeout(state.deadline);
    state.deadline = setTimeout(() => socket.destroy(), ms).unref();
    states.set(socket, state);
  };
  const begin = (socket: Socket) => {
    const state = states.get(socket) ?? { inFlight: 0 };
    clearTimeout(state.deadline);
    state.deadline = undefined;
    state.inFlight++;
    states.set(socket, state);
  };

  server.on('connection', (socket: Socket) => socket.setKeepAlive(true, limits.tcpKeepAliveMs));
  server.on('secureConnection', (socket: Socket) => {
    arm(socket, limits.headersTimeoutMs);
    socket.once('close', () => clearTimeout(states.get(socket)?.deadline));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    begin(socket);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const state = states.get(socket);
      if (!state) return;
      state.inFlight--;
      if (state.inFlight === 0 && !socket.destroyed)
        arm(socket, limits.idleTimeoutMs + limits.headersTimeoutMs);
    };
    res.once('finish', end);
    res.once('close', end);
  });
  // An upgraded connection (exec) belongs to its stream from now on.
  server.on('upgrade', (req: IncomingMessage) => begin(req.socket));
}
