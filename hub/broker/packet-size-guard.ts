// A cap on MQTT packet size at the transport. aedes 1.2 (MQTT 3.1.1) has none: its parser
// buffers a packet of any announced size, up to the 256 MB the remaining-length field allows,
// even a CONNECT from a client that has not authenticated. The guard reads the fixed headers
// [MQTT-2.2] of the bytes aedes takes from the socket and ends the connection as soon as a
// packet announces more, before the parser sees it.
//
// The guard wraps the socket's own read() rather than sitting in a stream between the socket
// and aedes: aedes reads in batches (conn.read() on 'readable', the next read only once the
// batch's packets are handled), and with a Transform joined to the socket by Duplex.from a
// gateway pipelining large QoS 1 publishes stalled its session for good — 16 KiB waiting in
// each stream, no 'readable' left to wake aedes, no PUBACK ever (the MQTT fuzz suite found it).
import type { Duplex } from 'node:stream';

export class PacketTooLarge extends Error {
  override name = 'PacketTooLarge';
}

/** Follows packet boundaries from the fixed header: type byte, remaining length (1-4 bytes). */
export class PacketSizeGuard {
  private headerBytes = 0;
  private length = 0;
  private multiplier = 1;
  private bodyLeft = 0;

  constructor(private readonly maxBytes: number) {}

  /** Takes the next bytes of the stream; the error once a packet announces more than the cap. */
  feed(chunk: Buffer): PacketTooLarge | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const skip = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= skip;
        i += skip;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.headerBytes === 0) {
        this.headerBytes = 1; // packet type and flags
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.headerBytes++;
      if (byte & 0x80 && this.headerBytes < 5) continue;
      if (this.length > this.maxBytes) {
        return new PacketTooLarge(`MQTT packet of ${this.length} bytes is over the ${this.maxBytes} limit`);
      }
      this.bodyLeft = this.length;
      this.headerBytes = 0;
    }
    return undefined;
  }
}

/** How much may wait to be written to one connection, and who is told when it is cut. */
export interface WriteBound {
  maxBufferedBytes: number;
  onOverflow(buffered: number): void;
}

/**
 * Prepares a connection for aedes, in place: what aedes reads goes through the guard first, and
 * an oversized packet destroys the socket (aedes sees a dropped client; the parser never gets
 * the bytes). With a write bound, a peer that stops reading is cut once that much waits for it:
 * aedes writes every message on (it waits for 'drain' only to call back), so a stuck gateway
 * would make the hub buffer without limit until aedes' 60 s drain timeout.
 */
export function guardedConnection(
  socket: Duplex,
  maxBytes: number,
  onTooLarge: (err: Error) => void,
  bound?: WriteBound,
): Duplex {
  const guard = new PacketSizeGuard(maxBytes);
  const read = socket.read.bind(socket);
  socket.read = ((size?: number) => {
    const chunk: unknown = read(size);
    if (!Buffer.isBuffer(chunk) || socket.destroyed) return chunk;
    const tooLarge = guard.feed(chunk);
    if (!tooLarge) return chunk;
    onTooLarge(tooLarge);
    socket.destroy();
    return null;
  }) as Duplex['read'];
  if (bound) {
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((...args: unknown[]) => {
      const ok = write(...args);
      const buffered = socket.writableLength;
      if (!ok && buffered > bound.maxBufferedBytes && !socket.destroyed) {
        bound.onOverflow(buffered);
        socket.destroy();
      }
      return ok;
    }) as Duplex['write'];
  }
  return socket;
}
