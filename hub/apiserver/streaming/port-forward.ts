// `kubectl port-forward` after the upgrade: protocol portforward.k8s.io over SPDY/3.1 (directly,
// or tunnelled in WebSocket messages by kubectl 1.30+). For every local connection kubectl
// opens two streams, an `error` and a `data` stream, both with headers `port` and `requestid`;
// once both are there the hub asks the gateway for one connection to that port on the pod's
// localhost (over MQTT) and copies bytes both ways. The data stream's FIN half-closes towards the
// pod; when the pod closes, both streams end. A failure goes on the error stream as text, which
// kubectl prints ("an error occurred forwarding 8080 -> 80: …") before it closes the local one.
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../api/logger.js';
import type { ExecCall } from '../node-requests/node-requests.js';
import { InputGate } from './input-gate.js';
import { SpdyConnection, type SpdyStream } from './spdy-connection.js';

export const portForwardProtocol = 'portforward.k8s.io';

interface Pair {
  port: number;
  error?: SpdyStream;
  data?: SpdyStream;
  call?: ExecCall;
}

export interface PortForwardSession {
  pod: string;
  uid: string;
  /** Opens one connection to `port` on the pod; what the pod sends goes to `output`. */
  dial(port: number, output: (data: Buffer) => void): ExecCall;
  log?: Logger;
}

/** A port header: 1–65535, as the kubelet accepts it. */
export function parsePort(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export function servePortForward(socket: Duplex, head: Buffer, session: PortForwardSession): void {
  const pairs = new Map<string, Pair>();
  const input = new InputGate(socket);
  new SpdyConnection(
    socket,
    {
      onStream: (stream) => {
        const type = stream.headers.get('streamtype');
        const portText = stream.headers.get('port');
        const port = parsePort(portText);
        if ((type !== 'error' && type !== 'data') || port === undefined) {
          if (type === 'error') stream.write(Buffer.from(`invalid port header ${JSON.stringify(portText)}`));
          stream.end();
          return;
        }
        // Kubernetes before 1.x sent no requestid: then the port pairs the streams.
        const key = stream.headers.get('requestid') ?? `port-${port}`;
        const pair = pairs.get(key) ?? { port };
        if (pair[type] || pair.port !== port) {
          stream.end();
          return;
        }
        pair[type] = stream;
        pairs.set(key, pair);
        if (pair.error && pair.data) forward(session, pair, input, () => pairs.delete(key));
      },
      onClose: () => {
        for (const pair of pairs.values()) pair.call?.cancel();
        pairs.clear();
      },
      ...(session.log ? { log: session.log } : {}),
      // A browser through port-forward opens many connections at once.
      maxStreams: 512,
    },
    head,
  );
}

/** A connection that failed, in the kubelet's words, for the port's error stream or channel. */
export function forwardingError(session: PortForwardSession, port: number, err: unknown): Buffer {
  const message = err instanceof Error ? err.message : String(err);
  return Buffer.from(`error forwarding port ${port} to pod ${session.pod}, uid ${session.uid}: ${message}`);
}

function forward(session: PortForwardSession, pair: Pair, input: InputGate, forget: () => void): void {
  const data = pair.data!;
  const error = pair.error!;
  const call = session.dial(pair.port, (bytes) => data.write(bytes));
  pair.call = call;
  data.onData = (bytes) => input.send(call, { data: bytes });
  // kubectl half-closes (FIN) when its local connection ended, and resets when it gave up.
  data.onEnd = (reset) => (reset ? call.cancel() : input.send(call, { end: true }));
  error.onEnd = () => {};
  call.done.then(
    () => {
      data.end();
      error.end();
      forget();
    },
    (err: unknown) => {
      error.write(forwardingError(session, pair.port, err));
      error.end();
      data.end();
      forget();
    },
  );
}
