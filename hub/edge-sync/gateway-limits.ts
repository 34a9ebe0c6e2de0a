// Per-gateway rate limits on what gateways send (statuses, events), so one broken or hostile
// gateway cannot flood the store: a token bucket per gateway and route, counting items. Every
// limit lives here. Why these numbers:
// - events: kubelet limits its own event writes to 50/s with a burst of 100 (eventRecordQPS,
//   eventBurst) and then 1 per 5 min per object (EventSourceObjectSpamFilter). A gateway is a
//   kubelet that also replays what it queued offline, so: a burst of 250, then 10/s — at most
//   ~0.5% of what the hub's store writes per second (README, Performance) for one gateway.
//   Beyond it Events are dropped, as kube's spam filter drops them: they are diagnostics.
// - pod and node statuses are level-based and must never be lost, only delayed: beyond the
//   limit the newest status per pod (per node, for node status and registration) waits and is
//   applied as tokens come back. 20 pods changing every second fit in the 50/s.
// Over-limit traffic is logged once per gateway per minute. Each gateway has its own buckets and
// timers, so a flooding gateway never delays another.
import { type BucketLimits, TokenBucket } from '../controllers/runtime/token-bucket.js';

export interface RouteLimit extends BucketLimits {
  /** drop: over-limit items are discarded; coalesce: the newest per key waits for tokens. */
  overflow: 'drop' | 'coalesce';
}

export const gatewayRouteLimits: Readonly<Record<string, RouteLimit>> = {
  events: { burst: 250, perSecond: 10, overflow: 'drop' },
  podStatus: { burst: 500, perSecond: 50, overflow: 'coalesce' },
  nodeStatus: { burst: 10, perSecond: 1, overflow: 'coalesce' },
  register: { burst: 5, perSecond: 0.2, overflow: 'coalesce' },
  presence: { burst: 10, perSecond: 1, overflow: 'coalesce' },
};

/** Statuses waiting for tokens, per gateway and route (distinct pods); beyond, they are dropped. */
const maxWaitingItems = 2_000;
/** Items handed to a handler at once when waiting ones are released. */
const releaseBatch = 100;
const logIntervalMs = 60_000;

/** Routes whose payload is `{ items: [...] }`, and how an item is keyed for coalescing. */
const batchKey: Readonly<Record<string, (item: any) => string>> = {
  events: () => '',
  podStatus: (item: { namespace?: string; name?: string }) => `${item.namespace}/${item.name}`,
};

export interface GatewayLimiterDeps {
  now(): number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  schedule(fn: () => void, ms: number): () => void;
  log(line: string): void;
}

interface Waiting {
  items: Map<string, unknown>;
  deliver: (items: unknown[]) => void;
  cancel?: (() => void) | undefined;
}

interface Overflow {
  dropped: Map<string, number>;
  delayed: Map<string, number>;
  loggedAt: number;
}

export class GatewayRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly waiting = new Map<string, Waiting>();
  private readonly overflow = new Map<string, Overflow>();

  constructor(
    private readonly deps: GatewayLimiterDeps,
    private readonly limits: Readonly<Record<string, RouteLimit>> = gatewayRouteLimits,
  ) {}

  /** Hands `payload` (or what of it the limit allows, now or later) to `deliver`. */
  admit(node: string, route: string, payload: unknown, deliver: (payload: unknown) => void): void {
    const limit = this.limits[route];
    if (!limit) {
      deliver(payload);
      return;
    }
    const key = `${node}\u0000${route}`;
    const keyOf = batchKey[route];
    const items: unknown[] = keyOf ? ((payload as { items?: unknown[] }).items ?? []) : [payload];
    // A batch goes on as a batch of the items let through; a single message as itself.
    const deliverItems = (list: unknown[]) => {
      if (keyOf) deliver({ ...(payload as object), items: list });
      else for (const item of list) deliver(item);
    };
    const allowed: unknown[] = [];
    for (const [i, item] of items.entries()) {
      // Once statuses wait, newer ones queue behind them: an older one must not land last.
      if (!this.waiting.has(key) && this.bucket(key, limit).take(this.deps.now())) {
        allowed.push(item);
      } else if (limit.overflow === 'drop') {
        this.count(node, route, 'dropped', items.length - i);
        break;
      } else {
        this.wait(key, node, route, keyOf ? keyOf(item) : '', item, deliverItems);
      }
    }
    if (allowed.length > 0) deliverItems(allowed);
  }

  stop(): void {
    for (const waiting of this.waiting.values()) waiting.cancel?.();
    this.waiting.clear();
  }

  private bucket(key: string, limit: RouteLimit): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit, this.deps.now());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private wait(
    key: string,
    node: string,
    route: string,
    itemKey: string,
    item: unknown,
    deliver: (items: unknown[]) => void,
  ): void {
    let waiting = this.waiting.get(key);
    if (!waiting) {
      waiting = { items: new Map(), deliver };
      this.waiting.set(key, waiting);
      waiting.cancel = this.deps.schedule(() => this.release(key, route), this.tokenIntervalMs(route));
    }
    waiting.deliver = deliver; // the newest message's envelope
    if (!waiting.items.has(itemKey) && waiting.items.size >= maxWaitingItems) {
      this.count(node, route, 'dropped', 1);
      return;
    }
    waiting.items.delete(itemKey); // re-inserted last: it is the newest
    waiting.items.set(itemKey, item);
    this.count(node, route, 'delayed', 1);
  }

  /** Releases waiting items as tokens come back, one token interval at a time. */
  private release(key: string, route: string): void {
    const waiting = this.waiting.get(key);
    if (!waiting) return;
    const bucket = this.bucket(key, this.limits[route]!);
    const out: unknown[] = [];
    for (const [itemKey, item] of waiting.items) {
      if (out.length >= releaseBatch || !bucket.take(this.deps.now())) break;
      waiting.items.delete(itemKey);
      out.push(item);
    }
    if (out.length > 0) waiting.deliver(out);
    if (waiting.items.size === 0) this.waiting.delete(key);
    else waiting.cancel = this.deps.schedule(() => this.release(key, route), this.tokenIntervalMs(route));
  }

  private tokenIntervalMs(route: string): number {
    return Math.ceil(1000 / this.limits[route]!.perSecond);
  }

  private count(node: string, route: string, what: 'dropped' | 'delayed', n: number): void {
    let overflow = this.overflow.get(node);
    if (!overflow) {
      overflow = { dropped: new Map(), delayed: new Map(), loggedAt: Number.NEGATIVE_INFINITY };
      this.overflow.set(node, overflow);
    }
    overflow[what].set(route, (overflow[what].get(route) ?? 0) + n);
    const now = this.deps.now();
    if (now - overflow.loggedAt < logIntervalMs) return;
    const parts = [
      ...[...overflow.dropped].map(([r, count]) => `${count} ${r} items dropped`),
      ...[...overflow.delayed].map(([r, count]) => `${count} ${r} items delayed`),
    ];
    const limits = [...new Set([...overflow.dropped.keys(), ...overflow.delayed.keys()])]
      .map((r) => `${r} ${this.limits[r]!.perSecond}/s, burst ${this.limits[r]!.burst}`)
      .join('; ');
    this.deps.log(`edge-sync: node ${node} over its rate limits (${limits}): ${parts.join(', ')}`);
    this.overflow.set(node, { dropped: new Map(), delayed: new Map(), loggedAt: now });
  }
}
