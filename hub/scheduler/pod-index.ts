// Indexes over the pods bound to nodes, kept up to date pod by pod, so that topology spread and
// inter-pod affinity do not walk every pod in the cluster for every decision:
// - PodMatchIndex: for a predicate (a spread selector, an affinity term), how many pods on each
//   node it selects. Built on first use, then maintained incrementally; least recently used
//   predicates are dropped past a limit (each costs one test per pod added or removed).
// - TermOwners: the affinity terms that bound pods carry (anti-affinity that may repel the pod
//   being scheduled, preferences for scoring), grouped by identical term, with per-node counts.
import type { AffinityTerm } from './affinity-terms.js';
import type { PodInfo } from './pod-info.js';

export interface PodPredicate {
  /** Predicates with equal ids select the same pods. */
  readonly id: string;
  /** Labels every selected pod carries (a selector's matchLabels), so the index can skip the rest. */
  readonly requiredLabels?: readonly (readonly [string, string])[];
  matches(pod: PodInfo): boolean;
}

export type NodeCounts = ReadonlyMap<string, number>;

interface Entry {
  predicate: PodPredicate;
  counts: Map<string, number>;
  /** Bumped whenever counts change, for callers that derive from them. */
  version: number;
  /** One of requiredLabels: only pods carrying it are ever tested against this entry. */
  anchor: string | undefined;
}

function bump(counts: Map<string, number>, node: string, by: number): void {
  const next = (counts.get(node) ?? 0) + by;
  if (next > 0) counts.set(node, next);
  else counts.delete(node);
}

const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

export class PodMatchIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly anchored = new Map<string, Set<Entry>>();
  private readonly unanchored = new Set<Entry>();
  /** `key\0value` → bound pods with that label: candidates for a new predicate. */
  private readonly podsByLabel = new Map<string, Set<PodInfo>>();
  /** Source of entry versions: unique across entries, so a re-created entry never reuses one. */
  private changes = 0;

  constructor(
    private readonly boundPods: () => Iterable<PodInfo>,
    private readonly limit = 512,
  ) {}

  /** Node name → number of bound pods the predicate selects (nodes with none are absent). */
  counts(predicate: PodPredicate): NodeCounts {
    return this.entry(predicate).counts;
  }

  /** Changes whenever counts(predicate) does. */
  version(predicate: PodPredicate): number {
    return this.entry(predicate).version;
  }

  podAdded(pod: PodInfo): void {
    for (const [key, value] of Object.entries(pod.labels)) {
      const pair = pairKey(key, value);
      const pods = this.podsByLabel.get(pair);
      if (pods) pods.add(pod);
      else this.podsByLabel.set(pair, new Set([pod]));
    }
    this.account(pod, 1);
  }

  podRemoved(pod: PodInfo): void {
    this.account(pod, -1);
    for (const [key, value] of Object.entries(pod.labels)) {
      const pair = pairKey(key, value);
      const pods = this.podsByLabel.get(pair);
      pods?.delete(pod);
      if (pods?.size === 0) this.podsByLabel.delete(pair);
    }
  }

  /** Forget every predicate (namespace labels changed, so namespaceSelector results may have). */
  clear(): void {
    this.entries.clear();
    this.anchored.clear();
    this.unanchored.clear();
  }

  private entry(predicate: PodPredicate): Entry {
    const known = this.entries.get(predicate.id);
    if (known) {
      this.entries.delete(predicate.id); // re-insert: Map order doubles as recency order
      this.entries.set(predicate.id, known);
      return known;
    }
    // Anchor on the rarest required label: the fewest pods to test now and later.
    let anchor: string | undefined;
    for (const [key, value] of predicate.requiredLabels ?? []) {
      const pair = pairKey(key, value);
      if (
        anchor === undefined ||
        (this.podsByLabel.get(pair)?.size ?? 0) < (this.podsByLabel.get(anchor)?.size ?? 0)
      ) {
        anchor = pair;
      }
    }
    const entry: Entry = { predicate, counts: new Map(), version: ++this.changes, anchor };
    const candidates = anchor === undefined ? this.boundPods() : (this.podsByLabel.get(anchor) ?? []);
    for (const pod of candidates) if (predicate.matches(pod)) bump(entry.counts, pod.nodeName!, 1);
    this.entries.set(predicate.id, entry);
    if (anchor === undefined) this.unanchored.add(entry);
    else {
      const list = this.anchored.get(anchor);
      if (list) list.add(entry);
      else this.anchored.set(anchor, new Set([entry]));
    }
    if (this.entries.size > this.limit) this.evict(this.entries.values().next().value!);
    return entry;
  }

  private evict(entry: Entry): void {
    this.entries.delete(entry.predicate.id);
    if (entry.anchor === undefined) this.unanchored.delete(entry);
    else {
      const list = this.anchored.get(entry.anchor);
      list?.delete(entry);
      if (list?.size === 0) this.anchored.delete(entry.anchor);
    }
  }

  private account(pod: PodInfo, sign: 1 | -1): void {
    const update = (entry: Entry) => {
      if (!entry.predicate.matches(pod)) return;
      bump(entry.counts, pod.nodeName!, sign);
      entry.version = ++this.changes;
    };
    for (const entry of this.unanchored) update(entry);
    if (this.anchored.size === 0) return;
    for (const [key, value] of Object.entries(pod.labels)) {
      const entries = this.anchored.get(pairKey(key, value));
      if (entries) for (const entry of entries) update(entry);
    }
  }
}

export type TermKind = 'affinity' | 'antiAffinity' | 'preferredAffinity' | 'preferredAntiAffinity';

export interface OwnedTerm {
  readonly kind: TermKind;
  readonly term: AffinityTerm;
  /** Node name → number of bound pods carrying this term. */
  readonly nodes: Map<string, number>;
}

export class TermOwners {
  private readonly entries = new Map<string, OwnedTerm>();
  /** Pods with required anti-affinity: checked for every pod being scheduled. */
  antiAffinityCount = 0;

  all(): IterableIterator<OwnedTerm> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  podAdded(pod: PodInfo): void {
    this.account(pod, 1);
  }

  podRemoved(pod: PodInfo): void {
    this.account(pod, -1);
  }

  private account(pod: PodInfo, sign: 1 | -1): void {
    if (!pod.hasAffinityTerms) return;
    if (pod.antiAffinity.required.length > 0) this.antiAffinityCount += sign;
    this.each(pod, 'affinity', pod.affinity.required, sign);
    this.each(pod, 'antiAffinity', pod.antiAffinity.required, sign);
    this.each(pod, 'preferredAffinity', pod.affinity.preferred, sign);
    this.each(pod, 'preferredAntiAffinity', pod.antiAffinity.preferred, sign);
  }

  private each(pod: PodInfo, kind: TermKind, terms: readonly AffinityTerm[], sign: 1 | -1): void {
    for (const term of terms) {
      const key = `${kind}|${term.weight}|${term.id}`;
      let owned = this.entries.get(key);
      if (!owned) {
        if (sign < 0) continue;
        owned = { kind, term, nodes: new Map() };
        this.entries.set(key, owned);
      }
      bump(owned.nodes, pod.nodeName!, sign);
      if (owned.nodes.size === 0) this.entries.delete(key);
    }
  }
}
