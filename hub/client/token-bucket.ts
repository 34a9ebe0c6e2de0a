// Token buckets, as client-go's flowcontrol rate limiters: `burst` tokens at most, refilled at
// `perSecond`. Time is passed in (milliseconds), so the core is pure and tests need no timers.

export interface BucketLimits {
  /** Tokens held at most (and at the start): how many may go through at once. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limits: BucketLimits,
    nowMs: number,
  ) {
    this.tokens = limits.burst;
    this.last = nowMs;
  }

  /** Takes a token if there is one; false means over the limit. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.last);
    this.last = Math.max(this.last, nowMs);
    this.tokens = Math.min(this.limits.burst, this.tokens + (elapsed / 1000) * this.limits.perSecond);
  }
}

/**
 * One bucket per key (an object, a gateway), the least recently used forgotten beyond
 * `maxKeys` — as client-go's EventSourceObjectSpamFilter keeps its buckets in a 4096-entry LRU.
 */
export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: BucketLimits,
    private readonly maxKeys = 4096,
  ) {}

  take(key: string, nowMs: number): boolean {
    let bucket = this.buckets.get(key);
    if (bucket) this.buckets.delete(key);
    else bucket = new TokenBucket(this.limits, nowMs);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return bucket.take(nowMs);
  }

  get size(): number {
    return this.buckets.size;
  }
}
