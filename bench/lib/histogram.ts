// Latency samples for one scenario. Scenarios are bounded in count and time (at most a few
// hundred thousand samples), so keeping every sample and sorting once is exact and cheap enough;
// a bucketed histogram would only trade accuracy for memory we do not need to save.

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class LatencyHistogram {
  private readonly samplesMs: number[] = [];

  /** Records one latency measured with process.hrtime.bigint(). */
  recordSince(startNs: bigint, endNs: bigint = process.hrtime.bigint()): void {
    this.samplesMs.push(Number(endNs - startNs) / 1e6);
  }

  get count(): number {
    return this.samplesMs.length;
  }

  summarize(): LatencySummary {
    const sorted = Float64Array.from(this.samplesMs).sort();
    const count = sorted.length;
    let total = 0;
    for (const ms of sorted) total += ms;
    return {
      count,
      meanMs: count ? total / count : Number.NaN,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      p99Ms: percentile(sorted, 99),
      maxMs: count ? sorted[count - 1]! : Number.NaN,
    };
  }
}

/** Nearest-rank percentile: the smallest sample with at least p% of samples at or below it. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
