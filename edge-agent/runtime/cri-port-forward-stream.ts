// The client side of a CRI port-forward: CRI PortForward hands out a URL on the runtime's
// streaming server, which speaks portforward.k8s.io over SPDY/3.1. One connection to the pod's
// port is one pair of streams, `error` then `data`, both with headers `port` and `requestid`;
// containerd dials localhost:port inside the pod's network namespace once both are open, then
// copies bytes both ways and closes the data stream when either side is done. Text on the error
// stream means the connection failed (e.g. nothing listens on the port).
import type { Socket } from 'node:net';
import {
  dataFrame,
  FLAG_FIN,
  FrameParser,
  FrameType,
  ping,
  StoredZlibStream,
  synStream,
} from '../../api/streaming/spdy-frames.js';
import { type PortConnection, RuntimeError } from './container-runtime.js';
import { type StreamDialer, upgradeToSpdy } from './cri-stream-dial.js';

export const portForwardStreamProtocol = 'portforward.k8s.io';

const errorStreamId = 1;
const dataStreamId = 3;

/** Opens one connection to `port` through the streaming URL; what the pod sends goes to `output`. */
export async function openPortForwardStream(
  url: string,
  port: number,
  output: (data: Buffer) => void,
  dial?: StreamDialer,
  timeoutMs = 10_000,
): Promise<PortConnection> {
  const { socket, head } = await upgradeToSpdy(url, portForwardStreamProtocol, dial, timeoutMs);
  return new SpdyPortConnection(socket, port, output, head);
}

class SpdyPortConnection implements PortConnection {
  readonly done: Promise<void>;
  private readonly errorText: Buffer[] = [];
  private ended = false;
  private cancelled = false;

  constructor(
    private readonly socket: Socket,
    port: number,
    output: (data: Buffer) => void,
    head: Buffer,
  ) {
    socket.setNoDelay?.(true);
    const zlib = new StoredZlibStream();
    const headers = { port: String(port), requestid: '0' };
    socket.write(synStream(zlib, errorStreamId, { ...headers, streamtype: 'error' }));
    socket.write(synStream(zlib, dataStreamId, { ...headers, streamtype: 'data' }));
    const parser = new FrameParser();
    let dataDone = false;
    let errorDone = false;
    this.done = new Promise((resolve, reject) => {
      const settle = () => {
        const error = Buffer.concat(this.errorText).toString('utf8').trim();
        socket.destroy();
        if (this.cancelled) resolve();
        else if (error) reject(new RuntimeError('Unknown', error));
        else resolve();
      };
      const onData = (chunk: Buffer) => {
        for (const frame of parser.push(chunk)) {
          if (frame.kind === 'data') {
            if (frame.streamId === dataStreamId && frame.data.length > 0) output(frame.data);
            if (frame.streamId === errorStreamId && frame.data.length > 0) this.errorText.push(frame.data);
            if (frame.flags & FLAG_FIN) {
              if (frame.streamId === dataStreamId) dataDone = true;
              if (frame.streamId === errorStreamId) errorDone = true;
            }
          } else if (frame.type === FrameType.Ping && frame.payload.length === 4) {
            if (frame.payload.readUInt32BE(0) % 2 === 0) socket.write(ping(frame.payload.readUInt32BE(0)));
          } else if (frame.type === FrameType.RstStream || frame.type === FrameType.GoAway) {
            dataDone = true;
            errorDone = true;
          }
        }
        if (dataDone && errorDone) settle();
      };
      socket.on('data', onData);
      socket.on('error', () => {});
      socket.on('close', settle);
      if (head.length > 0) onData(head);
    });
  }

  write(data: Buffer, written?: () => void): void {
    if (this.ended || this.socket.destroyed || data.length === 0) {
      written?.();
      return;
    }
    this.socket.write(dataFrame(dataStreamId, data), () => written?.());
  }

  end(): void {
    if (this.ended || this.socket.destroyed) return;
    this.ended = true;
    this.socket.write(dataFrame(dataStreamId, Buffer.alloc(0), true));
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  cancel(): void {
    this.cancelled = true;
    this.socket.destroy();
  }
}
