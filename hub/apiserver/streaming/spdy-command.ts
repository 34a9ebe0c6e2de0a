// One `kubectl exec` or `kubectl attach` session over SPDY/3.1 with remotecommand protocol
// v4.channel.k8s.io, the transport of kubectl 1.27–1.29 (and of later ones when the WebSocket
// upgrade fails). After the 101 the client opens one stream per channel, each named by its
// `streamtype` header: error, then stdin, stdout, stderr as asked, and resize with a terminal.
// The session starts once every expected stream is there; stdin ends with the stream's FIN;
// resizes are JSON TerminalSize values, one per line. When the command ends, the output streams
// are closed, the error stream carries the Status (Success or NonZeroExitCode with the code), and
// the connection ends, as the kubelet's streaming server does.
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../api/logger.js';
import type { ExecCall } from '../node-requests/node-requests.js';
import type { ExecStatus } from './channel-protocol.js';
import { parseTerminalSize } from './channel-protocol.js';
import { commandStatus } from './command-status.js';
import { InputGate } from './input-gate.js';
import type { OutputBuffer } from './output-buffer.js';
import { SpdyConnection, type SpdyStream } from './spdy-connection.js';

/** The remotecommand protocol spoken over SPDY (the older v1–v3 are not offered). */
export const spdyCommandProtocol = 'v4.channel.k8s.io';

/** How long the client has to open its streams after the upgrade (the kubelet waits 30 s). */
const streamsTimeoutMs = 30_000;

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

export interface SpdyCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  log?: Logger;
}

/** The streams a client opens for these options, in the order kubectl opens them. */
export function expectedStreams(options: Omit<SpdyCommandOptions, 'log'>): StreamType[] {
  const types: StreamType[] = ['error'];
  if (options.stdin) types.push('stdin');
  if (options.stdout) types.push('stdout');
  if (options.stderr && !options.tty) types.push('stderr');
  if (options.tty) types.push('resize');
  return types;
}

export function relayOverSpdy(
  socket: Duplex,
  head: Buffer,
  call: ExecCall,
  buffer: OutputBuffer,
  options: SpdyCommandOptions,
): void {
  const expected = expectedStreams(options);
  const streams = new Map<StreamType, SpdyStream>();
  const input = new InputGate(socket);
  let finished = false;
  // true once every expected stream is open; false when the connection ended before that.
  let settleReady: (ready: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => {
    settleReady = resolve;
  });
  const connection = new SpdyConnection(
    socket,
    {
      onStream: (stream) => {
        const type = stream.headers.get('streamtype') as StreamType | undefined;
        if (!type || !expected.includes(type) || streams.has(type)) {
          options.log?.warn(`SPDY command stream ${JSON.stringify(type)} not expected; closed`);
          stream.end();
          return;
        }
        streams.set(type, stream);
        if (type === 'stdin') {
          stream.onData = (data) => input.send(call, { data });
          stream.onEnd = () => input.send(call, { end: true });
        } else if (type === 'resize') {
          stream.onData = resizeReader((size) => input.send(call, { resize: size }));
        }
        if (streams.size === expected.length) settleReady(true);
      },
      onClose: () => {
        clearTimeout(waiting);
        settleReady(false);
        if (!finished) call.cancel();
      },
      ...(options.log ? { log: options.log } : {}),
    },
    head,
  );
  const waiting = setTimeout(() => {
    options.log?.info(
      `SPDY command: the client opened ${[...streams.keys()].join(', ') || 'no streams'} of ${expected.join(', ')} within ${streamsTimeoutMs / 1000} s`,
    );
    connection.close();
  }, streamsTimeoutMs);
  ready.then((open) => {
    if (!open) return;
    clearTimeout(waiting);
    buffer.attach((stream, data) => streams.get(stream)?.write(data));
  });
  Promise.all([commandStatus(call, options.log), ready]).then(([status, open]) => {
    finished = true;
    if (!open) return;
    end(streams, status);
    connection.close();
  });
}

function end(streams: Map<StreamType, SpdyStream>, status: ExecStatus): void {
  streams.get('stdout')?.end();
  streams.get('stderr')?.end();
  const error = streams.get('error');
  error?.write(Buffer.from(JSON.stringify(status)));
  error?.end();
}

/** Splits the resize stream into lines and hands on each valid TerminalSize. */
function resizeReader(onSize: (size: { width: number; height: number }) => void): (data: Buffer) => void {
  let pending = '';
  return (data) => {
    pending += data.toString('utf8');
    // A client that never sends a newline would otherwise grow this without bound.
    if (pending.length > 4096) pending = '';
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const size = parseTerminalSize(Buffer.from(pending.slice(0, newline)));
      if (size) onSize(size);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  };
}
