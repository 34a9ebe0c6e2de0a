// One `kubectl exec` or `kubectl attach` session over WebSocket (channel protocol v4/v5): bytes
// between the client's socket and the command on the gateway (over MQTT,
// hub/apiserver/node-requests/node-requests.ts). Output that arrived before the socket opened is sent first.
// When the command ends the error channel gets its Status and the socket closes; when the
// client goes away the command is cancelled (exec) or detached from (attach).
import type { WebSocket } from 'ws';
import type { Logger } from '../../../api/logger.js';
import type { ExecCall } from '../node-requests/node-requests.js';
import { Channel, type ChannelProtocol, frame, parseClientMessage } from './channel-protocol.js';
import { commandStatus } from './command-status.js';
import { InputGate } from './input-gate.js';
import type { OutputBuffer } from './output-buffer.js';

/** How long a client has to answer the close frame after the status before the hub hangs up. */
const closeGraceMs = 500;

export interface CommandStreams {
  stdout: boolean;
  stderr: boolean;
  log?: Logger;
}

export function relayOverWebSocket(
  socket: WebSocket,
  protocol: ChannelProtocol,
  call: ExecCall,
  buffer: OutputBuffer,
  options: CommandStreams,
): void {
  // The kubelet's first frame: an empty one on the lowest output channel says "connected".
  const hello = options.stdout ? Channel.stdout : options.stderr ? Channel.stderr : Channel.error;
  socket.send(frame(hello));
  buffer.attach((stream, data) => {
    if (socket.readyState === socket.OPEN) {
      socket.send(frame(stream === 'stderr' ? Channel.stderr : Channel.stdout, data));
    }
  });
  let finished = false;
  const input = new InputGate(socket);
  socket.on('message', (data, isBinary) => {
    if (!isBinary) return; // the base64 text variants are not offered
    const message = parseClientMessage(toBuffer(data), protocol);
    if (message.kind === 'stdin') input.send(call, { data: message.data });
    else if (message.kind === 'resize') input.send(call, { resize: message.size });
    else if (message.kind === 'close' && message.channel === Channel.stdin) input.send(call, { end: true });
  });
  socket.on('close', () => {
    if (!finished) call.cancel();
  });
  socket.on('error', () => {});
  commandStatus(call, options.log).then((status) => {
    finished = true;
    if (socket.readyState !== socket.OPEN) return;
    socket.send(frame(Channel.error, Buffer.from(JSON.stringify(status))));
    socket.close(1000);
    // Kubernetes ends the connection once the status is written. A client that reads the close
    // frame only when the connection ends (the official Python client: its poll() does not see
    // frames already in its TLS buffer) otherwise waited out ws' 30 s close handshake, and its
    // exit code came 30 s late.
    const hangUp = setTimeout(() => socket.terminate(), closeGraceMs);
    socket.once('close', () => clearTimeout(hangUp));
  });
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
