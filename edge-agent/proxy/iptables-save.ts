// Reading `iptables-save` output: which chains exist in each table and which rules they hold.
// The proxy reads it before a full sync (chains a previous run left that are no longer wanted,
// hook jumps already in place), to choose a backend (rule counts) and to clean up. Pure.
import { isFlotillaChain } from './chain-names.js';

export interface SavedTable {
  chains: Set<string>;
  /** `-A CHAIN …` lines, as printed. */
  rules: string[];
}

export function parseIptablesSave(text: string): Map<string, SavedTable> {
  const tables = new Map<string, SavedTable>();
  let current: SavedTable | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) {
      current = tables.get(line.slice(1)) ?? { chains: new Set(), rules: [] };
      tables.set(line.slice(1), current);
      continue;
    }
    if (!current) continue;
    if (line.startsWith(':')) {
      current.chains.add(line.slice(1).split(/\s+/)[0]!);
    } else if (line.startsWith('-A ')) {
      current.rules.push(line);
    }
  }
  return tables;
}

/** The chain a `-A CHAIN …` line belongs to and the chain it jumps or goes to, if any. */
export function ruleChains(line: string): { chain: string; target: string | undefined } {
  const parts = line.split(/\s+/);
  const at = parts.findIndex((part) => part === '-j' || part === '-g');
  return { chain: parts[1] ?? '', target: at >= 0 ? parts[at + 1] : undefined };
}

export function flotillaChains(table: SavedTable | undefined): string[] {
  return table ? [...table.chains].filter(isFlotillaChain).sort() : [];
}

/** Rules outside Flotilla's chains that lead into them: the hook jumps (and anyone else's). */
export function jumpsIntoFlotilla(table: SavedTable | undefined): string[] {
  if (!table) return [];
  return table.rules.filter((line) => {
    const { chain, target } = ruleChains(line);
    return !isFlotillaChain(chain) && target !== undefined && isFlotillaChain(target);
  });
}

/** How many rules a backend holds: the measure kube-proxy's iptables wrapper compares. */
export function ruleCount(tables: Map<string, SavedTable>): number {
  let count = 0;
  for (const table of tables.values()) count += table.rules.length;
  return count;
}
