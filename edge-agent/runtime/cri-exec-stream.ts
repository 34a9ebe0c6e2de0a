// The client side of a CRI streaming exec: CRI Exec hands out a URL on the runtime's streaming
// server, which speaks Kubernetes' remotecommand protocol. We use protocol v4.channel.k8s.io
// over SPDY/3.1, as kubelet-era clients do, because it is the only variant containerd 1.6
// offers that can close stdin while output keeps flowing (measured on this machine: the
// WebSocket endpoint accepts v4 only, refuses v5 with 403, and ignores v5's close signal, so
// `kubectl exec -i … -- cat` would never see EOF). One SPDY stream per channel, each opened
// with a `streamtype` header; the error stream carries a metav1.Status JSON with the exit code;
// the server closes the connection when the command has ended.
import type { Socket } from 'node:net';
import {
  controlStreamId,
  dataFrame,
  FLAG_FIN,
  FrameParser,
  FrameType,
  ping,
  StoredZlibStream,
  synStream,
} from '../../api/streaming/spdy-frames.js';
import {
  type AttachOptions,
  type ExecSession,
  type OutputStream,
  RuntimeError,
} from './container-runtime.js';
import { type StreamDialer, upgradeToSpdy } from './cri-stream-dial.js';

export const execStreamProtocol = 'v4.channel.k8s.io';

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

interface StatusShape {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

/** The exit code a remotecommand error-stream Status stands for; throws for other failures. */
export function exitCodeOfStatus(text: string): number {
  if (text.trim() === '') return 0;
  let status: StatusShape;
  try {
    status = JSON.parse(text) as StatusShape;
  } catch {
    throw new RuntimeError('Unknown', `exec: the runtime sent an unreadable status: ${text.slice(0, 200)}`);
  }
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code) && code >= 0) return code;
  }
  throw new RuntimeError('Unknown', status.message ?? `exec failed: ${text.slice(0, 200)}`);
}

/** Connects to the streaming URL and starts the command (or attaches); output goes to `options.output`. */
export async function openExecStream(
  url: string,
  options: AttachOptions,
  dial?: StreamDialer,
  timeoutMs = 10_000,
): Promise<ExecSession> {
  const { socket, head } = await upgradeToSpdy(url, execStreamProtocol, dial, timeoutMs);
  return new SpdyExecSession(socket, options, head);
}

class SpdyExecSession implements ExecSession {
  readonly done: Promise<number>;
  private readonly ids = new Map<StreamType, number>();
  private readonly types = new Map<number, StreamType>();
  private readonly errorText: Buffer[] = [];
  private stdinOpen: boolean;
  private cancelled = false;

  constructor(
    private readonly socket: Socket,
    options: AttachOptions,
    head: Buffer,
  ) {
    this.stdinOpen = options.stdin;
    socket.setNoDelay?.(true);
    const zlib = new StoredZlibStream();
    const wanted: StreamType[] = ['error'];
    if (options.stdin) wanted.push('stdin');
    if (options.stdout) wanted.push('stdout');
    if (options.stderr && !options.tty) wanted.push('stderr');
    if (options.tty) wanted.push('resize');
    wanted.forEach((type, i) => {
      const id = 2 * i + 1; // client-initiated streams are odd (§2.3.2)
      this.ids.set(type, id);
      this.types.set(id, type);
      socket.write(synStream(zlib, id, { streamtype: type }));
    });
    const parser = new FrameParser();
    const onData = (chunk: Buffer) => {
      for (const frame of parser.push(chunk)) {
        if (frame.kind === 'data') {
          const type = this.types.get(frame.streamId);
          if (frame.data.length === 0) continue;
          if (type === 'stdout' || type === 'stderr') options.output(type as OutputStream, frame.data);
          else if (type === 'error') this.errorText.push(frame.data);
        } else if (frame.type === FrameType.Ping && frame.payload.length === 4) {
          // Server-initiated pings have even ids and must be echoed (§2.6.5).
          if (frame.payload.readUInt32BE(0) % 2 === 0) socket.write(ping(frame.payload.readUInt32BE(0)));
        } else if (frame.type === FrameType.RstStream || (frame.flags & FLAG_FIN) !== 0) {
          if (controlStreamId(frame) === this.ids.get('stdin')) this.stdinOpen = false;
        }
      }
    };
    if (head.length > 0) onData(head);
    socket.on('data', onData);
    this.done = new Promise((resolve, reject) => {
      socket.on('error', () => {});
      socket.on('close', () => {
        if (this.cancelled) {
          reject(new RuntimeError('Unknown', 'exec cancelled'));
          return;
        }
        try {
          resolve(exitCodeOfStatus(Buffer.concat(this.errorText).toString('utf8')));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  write(data: Buffer, written?: () => void): void {
    const id = this.ids.get('stdin');
    if (id === undefined || !this.stdinOpen || data.length === 0 || this.socket.destroyed) {
      written?.();
      return;
    }
    this.socket.write(dataFrame(id, data), () => written?.());
  }

  closeStdin(): void {
    const id = this.ids.get('stdin');
    if (id === undefined || !this.stdinOpen || this.socket.destroyed) return;
    this.stdinOpen = false;
    this.socket.write(dataFrame(id, Buffer.alloc(0), true));
  }

  resize(width: number, height: number): void {
    const id = this.ids.get('resize');
    if (id === undefined || this.socket.destroyed) return;
    // remotecommand.TerminalSize has no JSON tags: the Go field names are the keys.
    this.socket.write(dataFrame(id, Buffer.from(`${JSON.stringify({ Width: width, Height: height })}\n`)));
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  cancel(): void {
    if (this.socket.destroyed) return;
    this.cancelled = true;
    this.socket.destroy();
  }
}
