// Which iptables the host uses: the nf_tables backend (iptables-nft) or the legacy one. Both
// rule sets are evaluated for every packet, so the proxy must write where CNI and the rest of the
// host write, and never split one Service's traffic between the two (firmware-notes/host-runtime.md §3). The
// choice follows kube-proxy's iptables wrapper: the backend holding more rules wins, nft when
// tied; rules an earlier Flotilla run left decide first, so a restart stays where it was.

import { baseChains } from './chain-names.js';
import { parseIptablesSave, ruleCount, type SavedTable } from './iptables-save.js';
import { CommandError, type CommandRunner } from './run-command.js';

export type IptablesBackend = 'nft' | 'legacy';

export const iptablesTools: Record<IptablesBackend, { restore: string; save: string }> = {
  nft: { restore: 'iptables-nft-restore', save: 'iptables-nft-save' },
  legacy: { restore: 'iptables-legacy-restore', save: 'iptables-legacy-save' },
};

export type BackendSaves = Partial<Record<IptablesBackend, Map<string, SavedTable>>>;

/** Each backend's tables, or nothing for a backend whose tools are not installed. */
export async function readBackends(run: CommandRunner): Promise<BackendSaves> {
  const saves: BackendSaves = {};
  for (const backend of ['nft', 'legacy'] as const) {
    const text = await readSave(run, backend);
    if (text !== undefined) saves[backend] = parseIptablesSave(text);
  }
  return saves;
}

export async function readSave(run: CommandRunner, backend: IptablesBackend): Promise<string | undefined> {
  try {
    return (await run([iptablesTools[backend].save])).stdout;
  } catch (err) {
    if (err instanceof CommandError) throw err;
    return undefined; // not installed
  }
}

export function chooseBackend(saves: BackendSaves): { backend: IptablesBackend; reason: string } {
  const { nft, legacy } = saves;
  if (!nft && !legacy)
    throw new Error('neither iptables-nft nor iptables-legacy is installed (package iptables)');
  if (!legacy) return { backend: 'nft', reason: 'only iptables-nft is installed' };
  if (!nft) return { backend: 'legacy', reason: 'only iptables-legacy is installed' };
  const ours = (tables: Map<string, SavedTable>) =>
    tables.get('nat')?.chains.has(baseChains.services) === true;
  if (ours(nft) !== ours(legacy))
    return { backend: ours(nft) ? 'nft' : 'legacy', reason: 'Flotilla rules from an earlier run are there' };
  const [n, l] = [ruleCount(nft), ruleCount(legacy)];
  if (l > n) return { backend: 'legacy', reason: `the legacy backend holds more rules (${l} against ${n})` };
  return { backend: 'nft', reason: `the default; rules: nft ${n}, legacy ${l}` };
}
