// The relay's cache of reads it passed on while the hub was reachable: per token hash and
// request (relay-request.ts), the hub's last 2xx answer as it was (body, Content-Type, so a list
// keeps its resourceVersion), to answer the same read while the hub is unreachable. One file per
// entry under <data dir>/api-relay/cache, the body sealed with the agent's state key (it may hold
// Secrets), so it survives an agent restart. Bounded: entries, total bytes, bytes per entry;
// the least recently used go first. A read the hub later refuses (401, 403, 404…) is dropped, and
// a token the hub no longer accepts (401) loses every entry.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, silentLogger } from '../../api/logger.js';

export interface CacheLimits {
  maxEntries: number;
  maxBytes: number;
  maxEntryBytes: number;
}

export const defaultCacheLimits: CacheLimits = {
  maxEntries: 2_000,
  maxBytes: 64 * 1024 * 1024,
  maxEntryBytes: 4 * 1024 * 1024,
};

export interface CachedRead {
  key: string;
  identity: string;
  /** The collection key the read lists (relay-request.ts collectionKey), for offline watches. */
  collection?: string | undefined;
  status: number;
  contentType: string;
  body: Buffer;
  /** metadata.resourceVersion of a JSON answer, when it has one. */
  resourceVersion?: string | undefined;
  storedAt: number;
}

/** Seals and opens bodies (the agent's state encryption); identity in tests. */
export interface Sealer {
  seal(plain: string, context: string): string;
  open(stored: string, context: string): string;
}

interface Indexed {
  identity: string;
  collection?: string | undefined;
  size: number;
  usedAt: number;
}

export class RelayCache {
  private readonly index = new Map<string, Indexed>();
  private bytes = 0;
  /** Use order (not the clock: many uses fall in one millisecond). */
  private tick = 0;
  private readonly limits: CacheLimits;

  constructor(
    private readonly dir: string,
    private readonly sealer: Sealer,
    limits: Partial<CacheLimits> = {},
    private readonly log: Logger = silentLogger,
  ) {
    this.limits = { ...defaultCacheLimits, ...limits };
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.load();
  }

  get maxEntryBytes(): number {
    return this.limits.maxEntryBytes;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.index.size, bytes: this.bytes };
  }

  hasRead(key: string): boolean {
    return this.index.has(key);
  }

  hasCollection(collection: string): boolean {
    for (const entry of this.index.values()) if (entry.collection === collection) return true;
    return false;
  }

  get(key: string): CachedRead | undefined {
    const indexed = this.index.get(key);
    if (!indexed) return undefined;
    try {
      const stored = JSON.parse(readFileSync(this.file(key), 'utf8')) as Omit<CachedRead, 'body'> & {
        body: string;
      };
      const body = Buffer.from(this.sealer.open(stored.body, context(key)), 'base64');
      indexed.usedAt = ++this.tick;
      return { ...stored, body };
    } catch (err) {
      this.log.warn(`cache entry ${key.slice(0, 12)} unreadable, dropped: ${(err as Error).message}`);
      this.delete(key);
      return undefined;
    }
  }

  put(read: CachedRead): void {
    if (read.body.length > this.limits.maxEntryBytes) {
      this.delete(read.key);
      return;
    }
    const { body, ...meta } = read;
    const text = JSON.stringify({
      ...meta,
      body: this.sealer.seal(body.toString('base64'), context(read.key)),
    });
    const path = this.file(read.key);
    try {
      writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    } catch (err) {
      this.log.warn(`cache entry not kept: ${(err as Error).message}`);
      return;
    }
    this.forget(read.key);
    this.index.set(read.key, {
      identity: read.identity,
      collection: read.collection,
      size: text.length,
      usedAt: ++this.tick,
    });
    this.bytes += text.length;
    this.evict();
  }

  delete(key: string): void {
    this.forget(key);
    rmSync(this.file(key), { force: true });
  }

  /** Every entry of a token (the hub no longer accepts it). */
  deleteIdentity(identity: string): void {
    for (const [key, entry] of [...this.index]) if (entry.identity === identity) this.delete(key);
  }

  private forget(key: string): void {
    const old = this.index.get(key);
    if (!old) return;
    this.bytes -= old.size;
    this.index.delete(key);
  }

  private evict(): void {
    if (this.index.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) return;
    const byAge = [...this.index].sort(([, a], [, b]) => a.usedAt - b.usedAt);
    for (const [key] of byAge) {
      if (this.index.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) return;
      this.delete(key);
    }
  }

  private file(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  /** The index from the files of an earlier run; files that do not parse are removed. */
  private load(): void {
    const found: Array<[string, Indexed, number]> = [];
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      if (!/^[0-9a-f]{64}\.json$/.test(name)) {
        rmSync(path, { force: true });
        continue;
      }
      try {
        const text = readFileSync(path, 'utf8');
        const meta = JSON.parse(text) as CachedRead;
        const entry = { identity: meta.identity, collection: meta.collection, size: text.length, usedAt: 0 };
        found.push([name.slice(0, -5), entry, Number(meta.storedAt) || 0]);
      } catch {
        rmSync(path, { force: true });
      }
    }
    // Stored order stands in for use order across a restart.
    for (const [key, entry] of found.sort((a, b) => a[2] - b[2])) {
      entry.usedAt = ++this.tick;
      this.index.set(key, entry);
      this.bytes += entry.size;
    }
    this.evict();
  }
}

function context(key: string): string {
  return `/agent/api-relay/cache/${key}`;
}

/** metadata.resourceVersion of a JSON body, when it is one. */
export function resourceVersionOf(contentType: string, body: Buffer): string | undefined {
  if (!contentType.includes('json')) return undefined;
  try {
    const rv = (JSON.parse(body.toString('utf8')) as { metadata?: { resourceVersion?: unknown } }).metadata
      ?.resourceVersion;
    return typeof rv === 'string' ? rv : undefined;
  } catch {
    return undefined;
  }
}
