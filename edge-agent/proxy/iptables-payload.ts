// `iptables-restore --noflush` payloads. Pure.
//
// With --noflush, a `:CHAIN - [0:0]` line creates the chain or empties it, and nothing else in
// the table is touched: CNI's chains, the user's rules and the built-in chains stay as they are
// (firmware-notes/host-runtime.md §3). So a full sync declares every Flotilla chain (refilling it in place, in one
// atomic commit per table: no moment without rules), empties and deletes the stale ones, and
// inserts a hook jump only when it is missing. An update rewrites only the chains that differ and
// adds or deletes single rules in the shared chains.
import { baseChains } from './chain-names.js';
import type { IptablesFragment, SharedChain, SharedRule } from './iptables-fragment.js';

export type Table = 'nat' | 'filter';

export interface HookJump {
  table: Table;
  /** A built-in chain. */
  chain: string;
  /** Arguments after `-I CHAIN 1`. */
  rule: string;
  target: string;
}

const portals = '-m comment --comment "flotilla service portals"';
const externalPortals = '-m comment --comment "flotilla externally-visible service portals"';
const isNew = '-m conntrack --ctstate NEW';

/**
 * Inserted at position 1, once: POSTROUTING must run before CNI's per-pod chain, which ends in
 * `-d <podCIDR> -j ACCEPT` and would otherwise skip the hairpin masquerade (firmware-notes/host-runtime.md §3);
 * the filter jumps come first so a user's ACCEPT cannot turn a reject into a hang.
 */
export const hookJumps: readonly HookJump[] = [
  {
    table: 'nat',
    chain: 'PREROUTING',
    rule: `${portals} -j ${baseChains.services}`,
    target: baseChains.services,
  },
  {
    table: 'nat',
    chain: 'OUTPUT',
    rule: `${portals} -j ${baseChains.services}`,
    target: baseChains.services,
  },
  {
    table: 'nat',
    chain: 'POSTROUTING',
    rule: `-m comment --comment "flotilla postrouting rules" -j ${baseChains.postrouting}`,
    target: baseChains.postrouting,
  },
  {
    table: 'filter',
    chain: 'INPUT',
    rule: `${isNew} ${externalPortals} -j ${baseChains.externalServices}`,
    target: baseChains.externalServices,
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    rule: `${isNew} ${externalPortals} -j ${baseChains.externalServices}`,
    target: baseChains.externalServices,
  },
  {
    table: 'filter',
    chain: 'FORWARD',
    rule: `${isNew} ${portals} -j ${baseChains.services}`,
    target: baseChains.services,
  },
  {
    table: 'filter',
    chain: 'OUTPUT',
    rule: `${isNew} ${portals} -j ${baseChains.services}`,
    target: baseChains.services,
  },
];

const sharedChains: Record<SharedChain, { table: Table; chain: string }> = {
  'nat-services': { table: 'nat', chain: baseChains.services },
  'nat-nodeports': { table: 'nat', chain: baseChains.nodePorts },
  'filter-services': { table: 'filter', chain: baseChains.services },
  'filter-external': { table: 'filter', chain: baseChains.externalServices },
};

const masqMark = '0x4000';

const natBase = [
  `-A ${baseChains.markMasq} -j MARK --or-mark ${masqMark}`,
  `-A ${baseChains.postrouting} -m mark ! --mark ${masqMark}/${masqMark} -j RETURN`,
  // Cleared, so a packet that goes through the stack again (encapsulated, say) is not masqueraded twice.
  `-A ${baseChains.postrouting} -j MARK --xor-mark ${masqMark}`,
  `-A ${baseChains.postrouting} -m comment --comment "flotilla service traffic requiring SNAT" -j MASQUERADE --random-fully`,
];

const nodePortJump = `-A ${baseChains.services} -m comment --comment "flotilla service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j ${baseChains.nodePorts}`;

export interface InstalledState {
  /** Flotilla chains present now, per table (from iptables-save). */
  chains: Record<Table, string[]>;
  /** Hook jumps already in place. */
  hooks: readonly HookJump[];
}

/** Everything Flotilla wants, replacing whatever Flotilla had: chains refilled in place. */
export function fullPayload(fragments: readonly IptablesFragment[], installed: InstalledState): string {
  const natChains = new Set<string>([
    baseChains.services,
    baseChains.nodePorts,
    baseChains.markMasq,
    baseChains.postrouting,
  ]);
  const filterChains = new Set<string>([baseChains.services, baseChains.externalServices]);
  // Plain loops: 10,000 Services make 170,000 lines, and every intermediate array is garbage.
  const shared: Record<SharedChain, string[]> = {
    'nat-services': [],
    'nat-nodeports': [],
    'filter-services': [],
    'filter-external': [],
  };
  const chainRules: string[] = [];
  for (const fragment of fragments) {
    for (const rule of fragment.shared)
      shared[rule.chain].push(`-A ${sharedChains[rule.chain].chain} ${rule.rule}`);
    for (const [chain, rules] of fragment.chains) {
      natChains.add(chain);
      for (const rule of rules) chainRules.push(`-A ${chain} ${rule}`);
    }
  }
  const rulesOf = (chain: SharedChain) => shared[chain];
  const stale = (table: Table, wanted: Set<string>) => installed.chains[table].filter((c) => !wanted.has(c));
  const hooks = (table: Table) =>
    hookJumps
      .filter((h) => h.table === table && !installed.hooks.includes(h))
      .map((h) => `-I ${h.chain} 1 ${h.rule}`);
  const natStale = stale('nat', natChains);
  const filterStale = stale('filter', filterChains);
  const nat = [
    '*nat',
    ...[...natChains, ...natStale].map(declare),
    ...natBase,
    ...rulesOf('nat-services'),
    nodePortJump,
    ...rulesOf('nat-nodeports'),
    ...chainRules,
    ...natStale.map((c) => `-X ${c}`),
    ...hooks('nat'),
    'COMMIT',
  ];
  const filter = [
    '*filter',
    ...[...filterChains, ...filterStale].map(declare),
    ...rulesOf('filter-services'),
    ...rulesOf('filter-external'),
    ...filterStale.map((c) => `-X ${c}`),
    ...hooks('filter'),
    'COMMIT',
  ];
  return `${[...nat, ...filter].join('\n')}\n`;
}

export interface FragmentChange {
  before?: IptablesFragment;
  after?: IptablesFragment;
}

/** Only what changed: differing chains rewritten, vanished chains deleted, shared rules edited one by one. */
export function updatePayload(changes: readonly FragmentChange[]): string {
  const declared: string[] = [];
  const rules: string[] = [];
  const removed: string[] = [];
  const shared = {
    nat: { del: [] as string[], add: [] as string[] },
    filter: { del: [] as string[], add: [] as string[] },
  };
  for (const { before, after } of changes) {
    const old = before?.chains ?? new Map<string, string[]>();
    const next = after?.chains ?? new Map<string, string[]>();
    for (const [chain, chainRules] of next) {
      if (sameRules(old.get(chain), chainRules)) continue;
      declared.push(declare(chain));
      for (const rule of chainRules) rules.push(`-A ${chain} ${rule}`);
    }
    for (const chain of old.keys()) {
      if (next.has(chain)) continue;
      declared.push(declare(chain));
      removed.push(`-X ${chain}`);
    }
    const oldShared = new Set((before?.shared ?? []).map(sharedKey));
    const newShared = new Set((after?.shared ?? []).map(sharedKey));
    for (const rule of before?.shared ?? [])
      if (!newShared.has(sharedKey(rule)))
        shared[sharedChains[rule.chain].table].del.push(`-D ${sharedChains[rule.chain].chain} ${rule.rule}`);
    for (const rule of after?.shared ?? [])
      if (!oldShared.has(sharedKey(rule))) shared[sharedChains[rule.chain].table].add.push(addShared(rule));
  }
  const out: string[] = [];
  if (declared.length + shared.nat.del.length + shared.nat.add.length > 0)
    out.push('*nat', ...declared, ...shared.nat.del, ...shared.nat.add, ...rules, ...removed, 'COMMIT');
  if (shared.filter.del.length + shared.filter.add.length > 0)
    out.push('*filter', ...shared.filter.del, ...shared.filter.add, 'COMMIT');
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** Removes the given Flotilla chains and the rules elsewhere that lead into them. */
export function cleanupPayload(tables: Record<Table, { chains: string[]; jumps: string[] }>): string {
  const out: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    const { chains, jumps } = tables[table];
    if (chains.length === 0 && jumps.length === 0) continue;
    out.push(
      `*${table}`,
      ...jumps.map((line) => line.replace(/^-A /, '-D ')),
      ...chains.map(declare),
      ...chains.map((c) => `-X ${c}`),
      'COMMIT',
    );
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

function declare(chain: string): string {
  return `:${chain} - [0:0]`;
}

function sameRules(a: string[] | undefined, b: string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((rule, i) => rule === b[i]);
}

function sharedKey(rule: SharedRule): string {
  return `${rule.chain} ${rule.rule}`;
}

/**
 * New rules go first in nat FLOTILLA-SERVICES, so the node port jump stays last (a specific
 * address and port wins over "any local address"); order does not matter in the others.
 */
function addShared(rule: SharedRule): string {
  const { chain } = sharedChains[rule.chain];
  return rule.chain === 'nat-services' ? `-I ${chain} 1 ${rule.rule}` : `-A ${chain} ${rule.rule}`;
}
