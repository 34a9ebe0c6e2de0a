// Closed-loop load: `concurrency` workers each send a request, wait for the whole reply, and
// send the next, until the time or count budget runs out. Closed loop keeps the number in
// flight bounded, so a slow server shows up as lower rps and higher latency, never as an
// unbounded queue in the load generator.
import { LatencyHistogram, type LatencySummary } from './histogram.js';
import { type Endpoint, type RequestSpec, send } from './http-client.js';

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  /** Sent first and not measured: opens the connections and warms the JIT on both sides. */
  warmupRequests: number;
  expectStatus: number;
  /** Called with a sequence number unique across warm-up and measurement (distinct names). */
  request: (seq: number) => RequestSpec;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  rps: number;
  latency: LatencySummary;
  bytesPerResponse: number;
}

export async function runLoad(endpoint: Endpoint, options: LoadOptions): Promise<LoadResult> {
  let seq = 0;
  const next = () => options.request(seq++);
  await drive(endpoint, options, options.warmupRequests, Number.POSITIVE_INFINITY, next, undefined);
  const histogram = new LatencyHistogram();
  const start = process.hrtime.bigint();
  const tally = await drive(endpoint, options, options.maxRequests, options.durationMs, next, histogram);
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  const ok = histogram.count;
  return {
    requests: ok,
    errors: tally.errors,
    ...(tally.firstError ? { firstError: tally.firstError } : {}),
    elapsedMs,
    rps: ok / (elapsedMs / 1000),
    latency: histogram.summarize(),
    bytesPerResponse: ok ? Math.round(tally.bytes / ok) : 0,
  };
}

interface Tally {
  errors: number;
  bytes: number;
  firstError?: string;
}

async function drive(
  endpoint: Endpoint,
  options: LoadOptions,
  count: number,
  durationMs: number,
  next: () => RequestSpec,
  histogram: LatencyHistogram | undefined,
): Promise<Tally> {
  const tally: Tally = { errors: 0, bytes: 0 };
  const deadline = performance.now() + durationMs;
  let started = 0;
  const worker = async () => {
    while (started < count && performance.now() < deadline) {
      started++;
      const t0 = process.hrtime.bigint();
      try {
        const reply = await send(endpoint, next());
        if (reply.status !== options.expectStatus) throw new Error(`status ${reply.status}`);
        histogram?.recordSince(t0);
        tally.bytes += reply.bytes;
      } catch (err) {
        tally.errors++;
        tally.firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return tally;
}
