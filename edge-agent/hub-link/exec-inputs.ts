// Exec input from the hub (`stdin/{id}` chunks: data, terminal resizes, end = stdin closed),
// handed in seq order to the exec that asked for it: QoS 1 may redeliver, and across a
// reconnect reorder. Chunks for an id nobody listens to (the exec ended) are dropped.
import type { StreamChunk } from '../../api/mqtt/payloads/requests.js';

interface Sink {
  next: number;
  early: Map<number, StreamChunk>;
  deliver(chunk: StreamChunk): void;
}

export class ExecInputs {
  private readonly sinks = new Map<string, Sink>();

  /** Starts listening for request `id`; the returned function stops it. */
  open(id: string, deliver: (chunk: StreamChunk) => void): () => void {
    const sink: Sink = { next: 0, early: new Map(), deliver };
    this.sinks.set(id, sink);
    return () => {
      if (this.sinks.get(id) === sink) this.sinks.delete(id);
    };
  }

  receive(chunk: StreamChunk): void {
    const sink = this.sinks.get(chunk.id);
    if (!sink || chunk.seq < sink.next) return;
    sink.early.set(chunk.seq, chunk);
    for (let next = sink.early.get(sink.next); next; next = sink.early.get(sink.next)) {
      sink.early.delete(sink.next);
      sink.next++;
      sink.deliver(next);
    }
  }

  get size(): number {
    return this.sinks.size;
  }
}
