// Admission of new connections to the broker, a few at a time.
//
// A fleet whose hub restarts comes back all at once: 10,000 gateways within the 5 s of their
// refused-connection back-off. Started together, their TLS handshakes and CONNECTs share the
// hub's one event loop step by step, so each finishes only when nearly all do: at 10,000 many
// took longer than the hub's 15 s handshake limit or the gateways' 30 s CONNACK timeout, were
// retried after a back-off, and the work was done twice (1.47 TLS attempts per gateway, the last
// gateway back 123 s after the hub). Admitted a few at a time, each connects in milliseconds and
// the fleet returns at the rate the hub can serve it.
//
// An accepted connection waits paused — nothing read, no TLS work — until one of `maxConnecting`
// slots is free. It holds the slot from its first byte until its CONNACK is sent, it closes, or
// `maxSlotMs` passes (so a client that finishes TLS and then says nothing holds a slot for
// seconds, not for the broker's whole connect timeout). Waiting connections are taken in arrival
// order per source address, and the addresses in turn: a host that opens connection after
// connection (a misconfigured gateway, or someone on the plant network) delays the others by at
// most one slot's turn. One that waited longer than `maxWaitMs` is closed unread: its client has
// nearly given up on it, and retries after its back-off.
import type { Socket } from 'node:net';

export interface AdmissionOptions {
  /** Connections between their first byte and their CONNACK at one time. */
  maxConnecting: number;
  /** The longest one connection counts against `maxConnecting`. */
  maxSlotMs: number;
  /** The longest a connection waits for a slot before it is closed. */
  maxWaitMs: number;
}

// 32: enough to keep the loop busy while clients answer their handshake round trips, few enough
// that each handshake waits behind only a handful of others. 20 s of waiting leaves a gateway
// (30 s CONNACK timeout, api/mqtt/agent-session.ts) 10 s to finish once admitted.
export const defaultAdmission: AdmissionOptions = { maxConnecting: 32, maxSlotMs: 5_000, maxWaitMs: 20_000 };

/** Starts an admitted connection; `release` frees its slot (at CONNACK; more calls do nothing). */
export type StartConnection = (release: () => void) => void;

interface Waiting {
  socket: Socket;
  since: number;
  start: StartConnection;
  closed: boolean;
}

/** A first-in first-out queue with O(1) take (Array.shift copies). */
class Queue<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

export class ConnectAdmission {
  private connecting = 0;
  /** Waiting connections per source address; the Map's order is whose turn it is. */
  private readonly waiting = new Map<string, Queue<Waiting>>();
  private waitingCount = 0;
  /** Connections admitted, and closed after waiting `maxWaitMs` (since the start). */
  readonly counters = { admitted: 0, shed: 0 };

  constructor(
    private readonly options: AdmissionOptions = defaultAdmission,
    private readonly now: () => number = Date.now,
  ) {}

  /** Connections waiting for a slot (some may have closed meanwhile). */
  get queued(): number {
    return this.waitingCount;
  }

  /** Connections holding a slot. */
  get inProgress(): number {
    return this.connecting;
  }

  /** A connection accepted with `pauseOnConnect`: starts it now, or once a slot is free. */
  offer(socket: Socket, start: StartConnection): void {
    const entry: Waiting = { socket, since: this.now(), start, closed: false };
    socket.once('close', () => {
      entry.closed = true;
    });
    const source = socket.remoteAddress ?? '';
    let queue = this.waiting.get(source);
    if (!queue) {
      queue = new Queue();
      this.waiting.set(source, queue);
    }
    queue.push(entry);
    this.waitingCount++;
    this.admitWhileFree();
  }

  private admitWhileFree(): void {
    while (this.connecting < this.options.maxConnecting) {
      const next = this.takeNext();
      if (!next) return;
      if (next.closed) continue;
      if (this.now() - next.since > this.options.maxWaitMs) {
        this.counters.shed++;
        next.socket.destroy();
        continue;
      }
      this.admit(next);
    }
  }

  /** The oldest waiting connection of the source whose turn it is; that source goes last. */
  private takeNext(): Waiting | undefined {
    const first = this.waiting.entries().next();
    if (first.done) return undefined;
    const [source, queue] = first.value;
    const entry = queue.take();
    this.waiting.delete(source);
    if (queue.size > 0) this.waiting.set(source, queue);
    if (entry) this.waitingCount--;
    return entry;
  }

  private admit(entry: Waiting): void {
    this.connecting++;
    this.counters.admitted++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.connecting--;
      this.admitWhileFree();
    };
    const timer = setTimeout(release, this.options.maxSlotMs);
    timer.unref();
    entry.socket.once('close', release);
    try {
      entry.start(release);
    } catch {
      entry.socket.destroy();
      release();
    }
  }
}
