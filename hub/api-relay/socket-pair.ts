// Two connected in-memory sockets: what one writes the other reads. The hub runs a relayed
// request through Node's own HTTP client and server over such a pair, so the request meets the
// API handler exactly as a request from the network would (parsing, limits, authentication),
// without a listening port or TLS in between. Node 20 has no stream.duplexPair yet.
import { Duplex } from 'node:stream';

class MemorySocket extends Duplex {
  peer: MemorySocket | undefined;
  /** What Node's http server and client read or call on a net.Socket. */
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  readonly localAddress = '127.0.0.1';
  readonly localPort = 0;
  readonly encrypted = false;
  private readonly waiting: Array<() => void> = [];

  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _read(): void {
    for (const resume of this.waiting.splice(0)) resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (!peer || peer.destroyed) {
      callback(new Error('socket closed'));
      return;
    }
    // Backpressure: the writer waits while the reader has not asked for more.
    if (peer.push(chunk)) callback();
    else peer.waiting.push(() => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = undefined;
    for (const resume of this.waiting.splice(0)) resume();
    if (peer && !peer.destroyed) peer.destroy();
    callback(error);
  }
}

export type { MemorySocket };

export function socketPair(): [MemorySocket, MemorySocket] {
  const a = new MemorySocket({ allowHalfOpen: true });
  const b = new MemorySocket({ allowHalfOpen: true });
  a.peer = b;
  b.peer = a;
  return [a, b];
}
