// Opening a connection to the container runtime's streaming server (the URL CRI Exec, Attach or
// PortForward hands out) and upgrading it to SPDY/3.1 with one Kubernetes stream protocol
// (`X-Stream-Protocol-Version`): remotecommand for exec and attach, portforward.k8s.io for
// port-forward. Resolves with the socket and the bytes that came with the 101.
import { request } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { RuntimeError } from './container-runtime.js';

/** Opens the connection to a streaming URL (http.request's createConnection, callback form). */
export type StreamDialer = (url: URL, done: (err: Error | null, socket: Duplex) => void) => void;

export function upgradeToSpdy(
  url: string,
  protocol: string,
  dial?: StreamDialer,
  timeoutMs = 10_000,
): Promise<{ socket: Socket; head: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      timeout: timeoutMs,
      ...(dial
        ? {
            createConnection: (_opts: unknown, done: (err: Error | null, socket: Duplex) => void) => {
              dial(new URL(url), done);
              return undefined;
            },
          }
        : {}),
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'SPDY/3.1',
        'X-Stream-Protocol-Version': protocol,
        'Content-Length': '0',
      },
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new RuntimeError('Unavailable', `stream ${url}: ${err.message}`)));
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () =>
        reject(new RuntimeError('Unknown', `stream ${url}: HTTP ${res.statusCode}: ${body.trim()}`)),
      );
    });
    req.on('upgrade', (res, socket, head) => {
      req.setTimeout(0);
      const agreed = res.headers['x-stream-protocol-version'];
      if (agreed !== protocol) {
        socket.destroy();
        reject(new RuntimeError('Unknown', `stream ${url}: the runtime chose protocol ${String(agreed)}`));
        return;
      }
      resolve({ socket: socket as Socket, head });
    });
    req.end();
  });
}
