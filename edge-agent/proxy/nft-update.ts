// Incremental nftables updates: the elements of the changed service ports, deleted and added in
// one `nft -f` transaction. Pure: the caller keeps the returned state only once nft accepted the
// script. An element whose value changes is deleted and added again (nft would refuse to add a
// key that is still there with another value).
//
// Elements only: nft 1.0.6 cannot add a rule that looks up a `typeof … th dport` map created by
// an earlier transaction ("conflicting protocols specified: ip vs. th" while it rebuilds the
// map's type from the kernel). So a port needing a dnat chain or an affinity timeout the table
// lacks asks for a full sync instead; full syncs create the dnat chains for 1 to 16 endpoints
// up front, so that is rare.
import type { NftFragment } from './nft-fragment.js';
import { elementText, nftTable } from './nft-ruleset.js';

/** What the kernel holds besides the elements: the shared pieces that come and go with use. */
export interface NftInstalled {
  chains: ReadonlySet<string>;
  affinityTimeouts: ReadonlySet<number>;
  /** Endpoint address → how many service ports use it (the hairpin set holds each once). */
  hairpin: Map<string, number>;
}

export interface NftChange {
  before?: NftFragment;
  after?: NftFragment;
}

/**
 * The script, and how the hairpin counts change once nft accepted it: a delta, not a new map, as
 * copying 50,000 counts would cost an update more than nft itself does.
 */
export type NftUpdate = { script: string; hairpinDelta: Map<string, number> } | { fullSync: string };

/** Applies an accepted update's delta to the installed counts. */
export function applyHairpinDelta(hairpin: Map<string, number>, delta: ReadonlyMap<string, number>): void {
  for (const [ip, change] of delta) {
    const count = (hairpin.get(ip) ?? 0) + change;
    if (count > 0) hairpin.set(ip, count);
    else hairpin.delete(ip);
  }
}

export function nftUpdate(changes: readonly NftChange[], installed: NftInstalled): NftUpdate {
  const table = `ip ${nftTable}`;
  const deletions = new Map<string, string[]>();
  const additions = new Map<string, string[]>();
  const push = (into: Map<string, string[]>, set: string, text: string) =>
    (into.get(set) ?? into.set(set, []).get(set)!).push(text);
  const delta = new Map<string, number>();
  const count = (ip: string) => (installed.hairpin.get(ip) ?? 0) + (delta.get(ip) ?? 0);

  for (const { before, after } of changes) {
    const old = new Map((before?.elements ?? []).map((e) => [`${e.set} ${e.key}`, e]));
    const next = new Map((after?.elements ?? []).map((e) => [`${e.set} ${e.key}`, e]));
    for (const [id, element] of old) {
      const kept = next.get(id);
      if (!kept || kept.value !== element.value) push(deletions, element.set, element.key);
    }
    for (const [id, element] of next) {
      const had = old.get(id);
      if (!had || had.value !== element.value) push(additions, element.set, elementText(element));
    }
    const missing = after?.chains.find((chain) => !installed.chains.has(chain));
    if (missing) return { fullSync: `chain ${missing} is new` };
    const seconds = after?.affinitySeconds;
    if (seconds !== undefined && !installed.affinityTimeouts.has(seconds))
      return { fullSync: `affinity timeout ${seconds}s is new` };
    for (const ip of before?.endpointIPs ?? []) {
      if (count(ip) === 1) push(deletions, 'hairpin', `${ip} . ${ip}`);
      delta.set(ip, (delta.get(ip) ?? 0) - 1);
    }
    for (const ip of after?.endpointIPs ?? []) {
      if (count(ip) === 0) push(additions, 'hairpin', `${ip} . ${ip}`);
      delta.set(ip, (delta.get(ip) ?? 0) + 1);
    }
  }
  // An address that left one port and joined another in the same update stays in the set.
  cancelOut(deletions, additions, 'hairpin');
  const lines: string[] = [];
  for (const [set, items] of deletions) lines.push(`delete element ${table} ${set} { ${items.join(', ')} }`);
  for (const [set, items] of additions) lines.push(`add element ${table} ${set} { ${items.join(', ')} }`);
  const script = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  return { script, hairpinDelta: delta };
}

function cancelOut(deletions: Map<string, string[]>, additions: Map<string, string[]>, set: string): void {
  const deleted = deletions.get(set);
  const added = additions.get(set);
  if (!deleted || !added) return;
  const both = new Set(deleted.filter((item) => added.includes(item)));
  const keep = (items: string[]) => items.filter((item) => !both.has(item));
  deletions.set(set, keep(deleted));
  additions.set(set, keep(added));
  if (deletions.get(set)!.length === 0) deletions.delete(set);
  if (additions.get(set)!.length === 0) additions.delete(set);
}
