import type { Logger } from '../../api/logger.js';
// Per-gateway rate limits on what gateways send (statuses, events), so one broken or hostile
// gateway cannot flood the store: a token bucket per gateway and route, counting items. The
// limits and why they are what they are: api/mqtt/gateway-rate-limits.ts. Over-limit traffic is
// logged once per gateway per minute. Each gateway has its own buckets and timers, so a flooding
// gateway never delays another.
import { gatewayRouteLimits, maxWaitingItems, type RouteLimit } from '../../api/mqtt/gateway-rate-limits.js';
import { TokenBucket } from '../client/token-bucket.js';

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
  log: Logger;
}

/** An item waiting for a token, with the envelope of the message it came in. */
interface WaitingItem {
  item: unknown;
  deliver: (items: unknown[]) => void;
}

interface Waiting {
  items: Map<string, WaitingItem>;
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

  /**
   * Hands `payload` (or what of it the limit allows, now or later) to `deliver`, always as a
   * payload of this message (a batch of its own items), so the caller can tell which item of
   * the message it gets. What the limit drops goes to `dropped`, at once, with the reason.
   */
  admit(
    node: string,
    route: string,
    payload: unknown,
    deliver: (payload: unknown) => void,
    dropped: (payload: unknown, reason: string) => void = () => {},
  ): void {
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
    const reason = `dropped: over the gateway's ${route} rate limit (${limit.perSecond}/s, burst ${limit.burst})`;
    const drop = (list: unknown[]) => {
      this.count(node, route, 'dropped', list.length);
      dropped(keyOf ? { ...(payload as object), items: list } : list[0], reason);
    };
    const allowed: unknown[] = [];
    for (const [i, item] of items.entries()) {
      // Once statuses wait, newer ones queue behind them: an older one must not land last.
      if (!this.waiting.has(key) && this.bucket(key, limit).take(this.deps.now())) {
        allowed.push(item);
      } else if (limit.overflow === 'drop') {
        drop(items.slice(i));
        break;
      } else if (!this.wait(key, node, route, keyOf ? keyOf(item) : '', item, deliverItems)) {
        drop([item]);
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
  ): boolean {
    let waiting = this.waiting.get(key);
    if (!waiting) {
      waiting = { items: new Map() };
      this.waiting.set(key, waiting);
      waiting.cancel = this.deps.schedule(() => this.release(key, route), this.tokenIntervalMs(route));
    }
    if (!waiting.items.has(itemKey) && waiting.items.size >= maxWaitingItems) return false;
    // Re-inserted last: it is the newest. The one it replaces is superseded, not refused: a
    // status is a level, and the newer one for the same pod (or node) is what gets applied.
    waiting.items.delete(itemKey);
    waiting.items.set(itemKey, { item, deliver });
    this.count(node, route, 'delayed', 1);
    return true;
  }

  /** Releases waiting items as tokens come back, one token interval at a time. */
  private release(key: string, route: string): void {
    const waiting = this.waiting.get(key);
    if (!waiting) return;
    const bucket = this.bucket(key, this.limits[route]!);
    // Each message's items go back in that message's envelope, older messages first.
    const out = new Map<(items: unknown[]) => void, unknown[]>();
    let released = 0;
    for (const [itemKey, { item, deliver }] of waiting.items) {
      if (released >= releaseBatch || !bucket.take(this.deps.now())) break;
      waiting.items.delete(itemKey);
      released++;
      const list = out.get(deliver) ?? [];
      list.push(item);
      out.set(deliver, list);
    }
    for (const [deliver, list] of out) deliver(list);
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
    this.deps.log.warn(`node ${node} over its rate limits (${limits}): ${parts.join(', ')}`);
    this.overflow.set(node, { dropped: new Map(), delayed: new Map(), loggedAt: now });
  }
}
