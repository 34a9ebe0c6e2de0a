// A cap on MQTT packet size at the transport. aedes 1.2 (MQTT 3.1.1) has none: its parser
// buffers a packet of any announced size, up to the 256 MB the remaining-length field allows,
// even a CONNECT from a client that has not authenticated. This guard reads the fixed headers
// as bytes pass [MQTT-2.2] and ends the connection as soon as a packet announces more.
import { Duplex, Transform, type TransformCallback } from 'node:stream';

export class PacketTooLarge extends Error {
  override name = 'PacketTooLarge';
}

/** Follows packet boundaries from the fixed header: type byte, remaining length (1-4 bytes). */
export class PacketSizeGuard extends Transform {
  private headerBytes = 0;
  private length = 0;
  private multiplier = 1;
  private bodyLeft = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
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
        done(new PacketTooLarge(`MQTT packet of ${this.length} bytes is over the ${this.maxBytes} limit`));
        return;
      }
      this.bodyLeft = this.length;
      this.headerBytes = 0;
    }
    done(null, chunk);
  }
}

/** How much may wait to be written to one connection, and who is told when it is cut. */
export interface WriteBound {
  maxBufferedBytes: number;
  /** Connections exempt from the bound (the hub's own client); asked at each check. */
  exempt(connection: Duplex): boolean;
  onOverflow(buffered: number): void;
}

/**
 * The connection aedes should handle: reads go through the guard, writes go straight to the
 * socket. An oversized packet destroys the socket, which aedes sees as a dropped client. With a
 * write bound, a peer that stops reading is cut once that much waits for it: aedes writes every
 * message on (it waits for 'drain' only to call back), so a stuck gateway would make the hub
 * buffer without limit until aedes' 60 s drain timeout.
 */
export function guardedConnection(
  socket: Duplex,
  maxBytes: number,
  onTooLarge: (err: Error) => void,
  bound?: WriteBound,
): Duplex {
  const guard = new PacketSizeGuard(maxBytes);
  guard.on('error', (err) => {
    // aedes ending a connection (refused CONNECT or publish, broker close) errors the guard too,
    // through Duplex.from ("The operation was aborted"); those were logged where decided.
    if (err instanceof PacketTooLarge) onTooLarge(err);
    socket.destroy();
  });
  socket.pipe(guard);
  const connection = Duplex.from({ readable: guard, writable: socket });
  socket.on('close', () => connection.destroy());
  if (bound) {
    const write = connection.write.bind(connection) as (...args: unknown[]) => boolean;
    connection.write = ((...args: unknown[]) => {
      const ok = write(...args);
      const buffered = connection.writableLength + socket.writableLength;
      if (!ok && buffered > bound.maxBufferedBytes && !socket.destroyed && !bound.exempt(connection)) {
        bound.onOverflow(buffered);
        socket.destroy();
      }
      return ok;
    }) as Duplex['write'];
  }
  return connection;
}
