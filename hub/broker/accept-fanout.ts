// More than one connection accepted per pass of the event loop.
//
// libuv, since 1.45 (Node 20), accepts one connection per pass of the event loop and lets
// level-triggered polling bring the listener back on the next pass (libuv pull request 3696).
// While a fleet reconnects, the hub's passes take 20-30 ms, so its MQTT listener took at most
// about 50 connections a second: 10,000 gateways coming back to a restarted hub queued in the
// kernel for minutes, many gave up waiting for CONNACK and came round again, and after the hub
// had been frozen for two minutes the queue filled with connections whose gateways had long
// gone, each costing a pass of its own. Every descriptor of the listening socket that libuv
// watches is one more accept per pass.
//
// Node 20 cannot duplicate a descriptor (net's reusePort needs Node 22.12), but passing handles
// does: a short-lived child process receives the listener over IPC and sends it back as often as
// asked, each copy arriving as a new descriptor of the same socket (SCM_RIGHTS). The copies'
// connections are handed to the real server as if it had accepted them itself. The child also
// watches its copy for the moment it holds one; a connection it accepts meanwhile comes back
// over IPC the same way, so none is lost. Then it closes its copy and exits.
import { spawn } from 'node:child_process';
import type { Server, Socket } from 'node:net';
import type { Logger } from '../../api/logger.js';

/** Accepts per pass of the event loop, the listener's own included. */
export const acceptorsPerListener = 8;

const echoScript = `
process.on('message', (message, listener) => {
  if (!message || message.copies === undefined || !listener) return;
  // Not one byte read here: what the peer sent stays in the kernel for the hub to read.
  listener.pauseOnConnect = true;
  listener.on('connection', (socket) => process.send({ socket: true }, socket));
  let sent = 0;
  const next = () => {
    if (sent++ < message.copies) process.send({ copy: sent }, listener, next);
    else process.send({ done: true }, () => { listener.close(); process.disconnect(); });
  };
  next();
});
process.send({ ready: true });
`;

/**
 * Opens `acceptorsPerListener - 1` more descriptors of `server`'s listening socket; their
 * connections are emitted as `server`'s own 'connection' events (tls.Server and http.Server
 * take a raw socket from there). Returns the copies, to be closed with the server. On any
 * failure the server keeps its one acceptor and the reason is logged.
 */
export async function addAcceptors(server: Server, log: Logger): Promise<Server[]> {
  const copies: Server[] = [];
  const hand = (socket: Socket) => {
    // The copies are plain servers without the listener's options; every broker listener wants
    // Nagle off (broker.ts).
    socket.setNoDelay(true);
    server.emit('connection', socket);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', echoScript], {
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        // Only the script runs: no flags or preloads meant for the hub.
        env: { PATH: process.env.PATH ?? '' },
      });
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error('the helper process did not answer within 10 s'));
      }, 10_000);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.on('message', (message: { ready?: true; copy?: number; socket?: true; done?: true }, handle) => {
        if (message.ready) child.send({ copies: acceptorsPerListener - 1 }, server);
        else if (message.socket && handle) hand(handle as Socket);
        else if (message.copy && handle) {
          const copy = handle as Server;
          copy.on('connection', hand);
          copies.push(copy);
        }
      });
    });
  } catch (err) {
    log.warn(`one connection accepted per event-loop pass (${(err as Error).message})`);
  }
  return copies;
}
