// Two connected in-memory streams: what one end writes, the other reads. The hub's own MQTT
// client reaches the embedded broker through such a pair instead of a TLS socket on loopback:
// every gateway's traffic flows through that one connection, and on a 2-core hub encrypting,
// decrypting and copying it through the kernel cost a share of the CPU the fleet needed. The
// MQTT session is unchanged (same CONNECT, credentials, QoS and persistent session); only the
// transport is gone. Backpressure holds: a write completes once the other end has room.
import { Duplex } from 'node:stream';

class PipeEnd extends Duplex {
  peer!: PipeEnd;
  /** The callback of the peer's write this end had no room for, released when it reads again. */
  private blocked: ((error?: Error | null) => void) | undefined;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.peer.destroyed) {
      callback(new Error('in-process pipe: the other end is closed'));
      return;
    }
    if (this.peer.push(chunk)) callback();
    else this.peer.blocked = callback;
  }

  override _read(): void {
    const release = this.blocked;
    this.blocked = undefined;
    release?.();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const release = this.blocked;
    this.blocked = undefined;
    // A write still waiting for room here never lands.
    release?.(new Error('in-process pipe: the other end is closed'));
    // The peer sees the end of its input, as a socket does when the other side goes away.
    if (!this.peer.destroyed) {
      this.peer.push(null);
      this.peer.destroy();
    }
    callback(error);
  }
}

/** A connected pair of duplex streams. */
export function inProcessPipe(): [Duplex, Duplex] {
  const a = new PipeEnd();
  const b = new PipeEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
