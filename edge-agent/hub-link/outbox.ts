// The outbox: pod statuses and events on their way to the hub, in order. Online it empties
// within milliseconds; offline it is what the gateway has to say once the link is back. Bounded:
// a pod's older statuses are replaced by its newest one (which keeps the place of the first, so
// order of first appearance holds), and when full the oldest event goes first, then the oldest
// status. Pure: the sender delivers batches, local state persists entries.
import { type EventReport, maxEventItems } from '../../api/mqtt/payloads/events.js';
import { maxPodStatusItems, type PodStatusItem } from '../../api/mqtt/payloads/pod-status.js';
import { routes } from '../../api/mqtt/route-table.js';

export type OutboxItem = { kind: 'podStatus'; item: PodStatusItem } | { kind: 'event'; item: EventReport };

export interface OutboxEntry {
  /** `pod/<uid>` for statuses (one per pod), `event/<seq>` for events. */
  key: string;
  /** Order of first appearance. */
  seq: number;
  /** Changes whenever the entry's content does; unique across entries. */
  version: number;
  value: OutboxItem;
}

/** An entry in a log line ("status of pod default/web", "event Pulled about web"). */
export function describeOutboxEntry({ value }: OutboxEntry): string {
  return value.kind === 'podStatus'
    ? `status of pod ${value.item.namespace}/${value.item.name}`
    : `event ${value.item.reason} about ${value.item.involvedObject.name}`;
}

export interface OutboxBatch {
  kind: OutboxItem['kind'];
  entries: OutboxEntry[];
}

/** Per kind: items per message and the bytes the items may take (route limit minus envelope). */
export const batchLimits = {
  podStatus: { items: maxPodStatusItems, bytes: routes.podStatus.maxBytes - 64 },
  event: { items: maxEventItems, bytes: routes.events.maxBytes - 64 },
} as const;

export const defaultOutboxLimit = 10_000;

function byteSize(value: OutboxItem): number {
  return Buffer.byteLength(JSON.stringify(value.item));
}

export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private nextSeq = 1;
  private nextVersion = 1;
  private droppedCount = 0;

  constructor(
    private readonly limit = defaultOutboxLimit,
    private readonly onDrop: (entry: OutboxEntry, why: string) => void = () => {},
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Entries in delivery order. */
  list(): OutboxEntry[] {
    return [...this.entries.values()];
  }

  add(value: OutboxItem): void {
    const key = value.kind === 'podStatus' ? `pod/${value.item.uid}` : `event/${this.nextSeq}`;
    const existing = this.entries.get(key);
    if (existing) {
      // A newer observation of the same pod replaces the older one in place.
      if (
        value.kind === 'podStatus' &&
        (existing.value.item as PodStatusItem).observedAt > value.item.observedAt
      )
        return;
      this.entries.set(key, { ...existing, version: this.nextVersion++, value });
      return;
    }
    const entry: OutboxEntry = { key, seq: this.nextSeq++, version: this.nextVersion++, value };
    if (byteSize(value) > batchLimits[value.kind].bytes) {
      this.drop(entry, 'larger than one message may be');
      return;
    }
    if (this.entries.size >= this.limit) this.evictOne();
    this.entries.set(key, entry);
  }

  /** Entries loaded from local state, in any order. */
  restore(entries: OutboxEntry[]): void {
    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      this.entries.set(entry.key, entry);
      this.nextSeq = Math.max(this.nextSeq, entry.seq + 1);
      this.nextVersion = Math.max(this.nextVersion, entry.version + 1);
    }
  }

  /** The longest run of same-kind entries at the head that fits one message. */
  nextBatch(): OutboxBatch | undefined {
    const entries: OutboxEntry[] = [];
    let kind: OutboxItem['kind'] | undefined;
    let bytes = 0;
    for (const entry of this.entries.values()) {
      kind ??= entry.value.kind;
      if (entry.value.kind !== kind) break;
      const size = byteSize(entry.value) + 1;
      if (entries.length >= batchLimits[kind].items || bytes + size > batchLimits[kind].bytes) break;
      entries.push(entry);
      bytes += size;
    }
    return kind && entries.length > 0 ? { kind, entries } : undefined;
  }

  /** The hub has these: remove them, unless an entry was replaced by a newer one meanwhile. */
  settle(delivered: OutboxEntry[]): void {
    for (const entry of delivered) {
      if (this.entries.get(entry.key)?.version === entry.version) this.entries.delete(entry.key);
    }
  }

  private evictOne(): void {
    let victim: OutboxEntry | undefined;
    for (const entry of this.entries.values()) {
      victim ??= entry;
      if (entry.value.kind === 'event') {
        victim = entry;
        break;
      }
    }
    if (!victim) return;
    this.entries.delete(victim.key);
    this.drop(victim, `outbox full (${this.limit} items)`);
  }

  private drop(entry: OutboxEntry, why: string): void {
    this.droppedCount++;
    this.onDrop(entry, why);
  }
}
