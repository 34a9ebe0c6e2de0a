// Port-forward over a WebSocket with the channel protocol (v4.channel.k8s.io), as the official
// Python client speaks it: the ports come in the `ports` query parameter, and port number i
// (in that order) has data channel 2i and error channel 2i+1. One connection per port is made
// when the socket opens; the first message on each channel is the port as two little-endian
// bytes (the kubelet's greeting), then data flows as `[channel byte][bytes]`. A failure goes
// on the port's error channel as text; the socket closes once every port's connection ended.
import type { WebSocket } from 'ws';
import { badRequest } from '../../../api/errors.js';
import type { ExecCall } from '../node-requests/node-requests.js';
import { frame } from './channel-protocol.js';
import { InputGate } from './input-gate.js';
import { forwardingError, type PortForwardSession, parsePort } from './port-forward.js';

/** The `ports` query parameter: repeated or comma-separated, each 1–65535, at most 128. */
export function portsParam(query: URLSearchParams): number[] {
  const texts = query.getAll('ports').flatMap((v) => v.split(','));
  if (texts.length === 0) throw badRequest('query parameter "ports" is required');
  if (texts.length > 128) throw badRequest('ports: Too many: at most 128 ports may be forwarded at once');
  return texts.map((text) => {
    const port = parsePort(text.trim());
    if (port === undefined) {
      throw badRequest(
        `ports: Invalid value: ${JSON.stringify(text)}: must be between 1 and 65535, inclusive`,
      );
    }
    return port;
  });
}

export function servePortForwardChannels(
  socket: WebSocket,
  ports: number[],
  session: PortForwardSession,
): void {
  const calls: ExecCall[] = [];
  const input = new InputGate(socket);
  let open = ports.length;
  const send = (channel: number, data: Buffer) => {
    if (socket.readyState === socket.OPEN) socket.send(frame(channel, data));
  };
  ports.forEach((port, i) => {
    const greeting = Buffer.alloc(2);
    greeting.writeUInt16LE(port, 0);
    send(2 * i, greeting);
    send(2 * i + 1, greeting);
    const call = session.dial(port, (data) => send(2 * i, data));
    calls.push(call);
    call.done
      .catch((err: unknown) => send(2 * i + 1, forwardingError(session, port, err)))
      .finally(() => {
        open -= 1;
        if (open === 0 && socket.readyState === socket.OPEN) socket.close(1000);
      });
  });
  socket.on('message', (data, isBinary) => {
    if (!isBinary) return;
    const message = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
    const channel = message[0];
    if (channel === undefined || channel % 2 !== 0) return;
    const call = calls[channel / 2];
    if (call) input.send(call, { data: message.subarray(1) });
  });
  socket.on('close', () => {
    for (const call of calls) call.cancel();
  });
  socket.on('error', () => {});
}
