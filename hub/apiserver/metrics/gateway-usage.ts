// The gateways' CPU and memory use, for metrics.k8s.io (kubectl top, an HPA): asked of each
// gateway over MQTT (its agent answers a metrics request, ../node-requests/node-requests.ts) when someone reads
// it, kept for `ttlMs` so that a `kubectl top` of 5,000 gateways asks each of them at most once
// per 15 s (metrics-server's resolution), however many clients read. Pull rather than push:
// an idle fleet nobody looks at sends nothing (a push every 15 s from 10,000 gateways would be
// 670 messages a second, around the clock, over uplinks that are often metered), and a read
// asks only the gateways it shows (`top pod -n plant-3` asks only the gateways running pods of
// that namespace). At most `maxInFlight` requests are out at once; a read waits at most
// `waitMs` and then answers with what it has — fresh readings, and the last known reading (with
// its own timestamp and window, never restamped) of a gateway that is offline or did not answer
// in time; the requests still out fill the cache for the next read. A gateway never heard from
// since the hub started has no usage (absent, as metrics-server answers for a node it has not
// scraped yet).
import type { Logger } from '../../../api/logger.js';
import {
  type NodeUsage,
  type ParsedUsage,
  type PodUsage,
  parseNodeUsage,
  parsePodUsage,
} from './usage-documents.js';

export interface UsageRequests {
  metrics(node: string, scope: 'node' | 'pods'): Promise<unknown>;
  presenceOf(node: string): { online: boolean; since: Date } | undefined;
}

export interface GatewayUsageOptions {
  requests: UsageRequests;
  /** How long a reading is served before the gateway is asked again (default 15 s). */
  ttlMs?: number;
  /** Requests to gateways out at once (default 256). */
  maxInFlight?: number;
  /** How long a read waits for the gateways it asked (default 5 s). */
  waitMs?: number;
  now?: () => number;
  log?: Logger;
}

/** What a read of usage needs: the node's reading, or its pods' readings by `namespace/name`. */
export interface UsageView {
  nodes(names: Iterable<string>): Promise<Map<string, NodeUsage>>;
  pods(names: Iterable<string>): Promise<Map<string, Map<string, PodUsage>>>;
}

interface Entry<T> {
  value?: T;
  askedAt: number;
  inflight?: Promise<void> | undefined;
  /** The last failure logged, so a gateway that keeps failing the same way is logged once. */
  failure?: string;
}

type Scope = 'node' | 'pods';

export class GatewayUsage implements UsageView {
  private readonly entries = {
    node: new Map<string, Entry<NodeUsage>>(),
    pods: new Map<string, Entry<Map<string, PodUsage>>>(),
  };
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly now: () => number;

  constructor(private readonly options: GatewayUsageOptions) {
    this.now = options.now ?? Date.now;
  }

  nodes(names: Iterable<string>): Promise<Map<string, NodeUsage>> {
    return this.collect('node', names);
  }

  pods(names: Iterable<string>): Promise<Map<string, Map<string, PodUsage>>> {
    return this.collect('pods', names);
  }

  /** Drops what is kept of a node (its Node was deleted). */
  forget(node: string): void {
    this.entries.node.delete(node);
    this.entries.pods.delete(node);
  }

  private async collect<T>(scope: Scope, names: Iterable<string>): Promise<Map<string, T>> {
    const entries = this.entries[scope] as Map<string, Entry<T>>;
    const unique = [...new Set(names)];
    const asked = unique.flatMap((name) => this.refresh(scope, name) ?? []);
    if (asked.length > 0) await settledWithin(asked, this.options.waitMs ?? 5_000);
    const found = new Map<string, T>();
    for (const name of unique) {
      const value = entries.get(name)?.value;
      if (value !== undefined) found.set(name, value);
    }
    return found;
  }

  /** Asks the gateway again when its reading is older than the TTL and it is online. */
  private refresh(scope: Scope, name: string): Promise<void> | undefined {
    const entries = this.entries[scope] as Map<string, Entry<unknown>>;
    const entry = entries.get(name);
    if (entry?.inflight) return entry.inflight;
    const now = this.now();
    if (entry && now - entry.askedAt < (this.options.ttlMs ?? 15_000)) return undefined;
    // Offline or never connected: nothing to ask; the last known reading (if any) is served.
    if (!this.options.requests.presenceOf(name)?.online) return undefined;
    const kept = entry ?? { askedAt: now };
    kept.askedAt = now;
    entries.set(name, kept);
    kept.inflight = this.inSlot(() => this.ask(scope, name, kept)).finally(() => {
      kept.inflight = undefined;
    });
    return kept.inflight;
  }

  private async ask(scope: Scope, name: string, entry: Entry<unknown>): Promise<void> {
    let parsed: ParsedUsage<NodeUsage> | ParsedUsage<PodUsage>;
    try {
      const doc = await this.options.requests.metrics(name, scope);
      parsed = scope === 'node' ? parseNodeUsage(doc, name) : parsePodUsage(doc);
    } catch (err) {
      // The last known reading stays: served with its own (older) timestamp.
      this.logOnce(entry, `usage of ${name} (${scope}) not read: ${(err as Error).message}`);
      return;
    }
    if (parsed.refused.length > 0) {
      this.logOnce(entry, `usage of ${name} (${scope}): refused ${parsed.refused.join('; ')}`);
    } else {
      entry.failure = undefined;
    }
    // A node answer without a usable reading keeps the last known one; a pods answer replaces
    // the set (pods that ended are gone from it).
    const value = scope === 'node' ? parsed.items.get(name) : parsed.items;
    if (value !== undefined) entry.value = value;
  }

  private logOnce(entry: Entry<unknown>, line: string): void {
    if (entry.failure === line) return;
    entry.failure = line;
    this.options.log?.info(`${line}`);
  }

  /** Runs `task` once fewer than maxInFlight are running; a finished task hands its slot on. */
  private async inSlot(task: () => Promise<void>): Promise<void> {
    if (this.inFlight >= (this.options.maxInFlight ?? 256)) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.inFlight++;
    }
    try {
      await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }
}

/** Resolves when every promise settled or after `ms`, whichever comes first. */
async function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([Promise.allSettled(promises), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
