// One `kubectl exec` session: bytes between the client's WebSocket (channel protocol v4/v5) and
// the exec running on the gateway (over MQTT, hub/edge-sync/node-requests.ts). Output that
// arrives before the WebSocket is open is held and sent first. When the command ends the error
// channel gets its Status and the socket closes; when the client goes away the exec is cancelled.
import type { WebSocket } from 'ws';
import { type ExecCall, NodeRequestError } from '../../edge-sync/node-requests.js';
import {
  Channel,
  type ChannelProtocol,
  type ExecStatus,
  exitStatus,
  failureStatus,
  frame,
  parseClientMessage,
} from './channel-protocol.js';

/** Collects output frames until a socket is attached, then writes through. */
export class OutputBuffer {
  private held: Buffer[] | undefined = [];
  private socket: WebSocket | undefined;

  output(stream: 'stdout' | 'stderr', data: Buffer): void {
    const message = frame(stream === 'stderr' ? Channel.stderr : Channel.stdout, data);
    if (this.held) this.held.push(message);
    else if (this.socket?.readyState === this.socket?.OPEN) this.socket?.send(message);
  }

  attach(socket: WebSocket): void {
    this.socket = socket;
    for (const message of this.held ?? []) socket.send(message);
    this.held = undefined;
  }
}

/** How long a client has to answer the close frame after the status before the hub hangs up. */
const closeGraceMs = 500;

export interface RelayOptions {
  protocol: ChannelProtocol;
  stdout: boolean;
  stderr: boolean;
  log?: (line: string) => void;
}

export function relayExec(
  socket: WebSocket,
  call: ExecCall,
  buffer: OutputBuffer,
  options: RelayOptions,
): void {
  // The kubelet's first frame: an empty one on the lowest output channel says "connected".
  const hello = options.stdout ? Channel.stdout : options.stderr ? Channel.stderr : Channel.error;
  socket.send(frame(hello));
  buffer.attach(socket);
  let finished = false;
  socket.on('message', (data, isBinary) => {
    if (!isBinary) return; // the base64 text variants are not offered
    const message = parseClientMessage(toBuffer(data), options.protocol);
    if (message.kind === 'stdin') call.send({ data: message.data });
    else if (message.kind === 'resize') call.send({ resize: message.size });
    else if (message.kind === 'close' && message.channel === Channel.stdin) call.send({ end: true });
  });
  socket.on('close', () => {
    if (!finished) call.cancel();
  });
  socket.on('error', () => {});
  const end = (status: ExecStatus) => {
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
  };
  call.done.then(
    (exitCode) => end(exitStatus(exitCode)),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      const reason =
        err instanceof NodeRequestError && err.kind !== 'failed' ? 'ServiceUnavailable' : 'InternalError';
      options.log?.(`apiserver: exec ended with an error: ${message}`);
      end(failureStatus(message, reason));
    },
  );
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
