// The answer side of a streaming request (exec, attach, port-forward): output cut into chunks
// that fit an MQTT message, an empty keep-alive chunk whenever the stream is quiet (the hub
// gives up after 10 s of silence), and flow control towards the hub. A chunk is "in flight"
// until the broker acknowledges it (QoS 1 PUBACK); when more than `inFlightLimitBytes` are in
// flight the source is paused — its socket stops reading, so TCP pushes back on the container —
// and resumed once half of that is acknowledged. Without it a pod that writes faster than the
// gateway's uplink carries (a download through port-forward, `cat` of a large file) would pile
// its whole output up in the agent's memory. The other way round, the agent tells the hub how
// much of its input (stdin/{id}) has left the agent, so that the hub can stop reading from a
// client that sends faster than the gateway takes it (`kubectl cp` of a large file).
import {
  bytesChunk,
  chunkBytesMax,
  inputAckBytes,
  type StreamChunk,
} from '../../api/mqtt/payloads/requests.js';

export type ChunkFields = Omit<StreamChunk, 'id' | 'seq'>;

/** Bytes of output allowed to wait for the broker's acknowledgement before the source pauses. */
export const inFlightLimitBytes = 256 * 1024;

/** A source of output that can stop reading for a while (a socket). */
export interface FlowSource {
  pause?(): void;
  resume?(): void;
}

export function chunkEmitter(send: (fields: ChunkFields) => Promise<void>, keepAliveMs = 5_000) {
  let lastSent = Date.now();
  let inFlight = 0;
  let source: FlowSource | undefined;
  let paused = false;
  const release = (bytes: number) => {
    inFlight -= bytes;
    if (paused && inFlight <= inFlightLimitBytes / 2) {
      paused = false;
      source?.resume?.();
    }
  };
  const emit = (fields: ChunkFields) => {
    lastSent = Date.now();
    const bytes = fields.data?.length ?? 0;
    inFlight += bytes;
    if (source && !paused && inFlight > inFlightLimitBytes) {
      paused = true;
      source.pause?.();
    }
    send(fields).then(
      () => release(bytes),
      () => release(bytes),
    );
  };
  const output = (stream: 'stdout' | 'stderr' | 'data', data: Buffer) => {
    for (let at = 0; at < data.length; at += chunkBytesMax) {
      emit({ stream, ...bytesChunk(data.subarray(at, at + chunkBytesMax)) });
    }
  };
  let written = 0;
  let acknowledged = 0;
  /** `bytes` of the hub's input left the agent: the hub hears of it every inputAckBytes. */
  const consumed = (bytes: number) => {
    written += bytes;
    if (written - acknowledged >= inputAckBytes) {
      acknowledged = written;
      emit({ inputBytes: written });
    }
  };
  const keepAlive = setInterval(() => {
    if (Date.now() - lastSent >= keepAliveMs) emit({});
  }, keepAliveMs / 2);
  return {
    emit,
    output,
    consumed,
    /** The source to pause and resume (known only once the runtime opened it). */
    throttle: (next: FlowSource) => {
      source = next;
      if (!paused && inFlight > inFlightLimitBytes) {
        paused = true;
        next.pause?.();
      }
    },
    /** Bytes waiting for the broker's acknowledgement (for tests and logs). */
    inFlight: () => inFlight,
    stop: () => clearInterval(keepAlive),
  };
}
