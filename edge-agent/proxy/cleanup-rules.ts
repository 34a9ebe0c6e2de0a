// Removing what Flotilla installed: its FLOTILLA-* chains in the nat and filter tables of either
// iptables backend, with every rule elsewhere that jumps into them (the hook jumps), and the
// nftables table `ip flotilla`. Used by `flotilla agent cleanup-rules`, and by each proxy mode at
// start for the *other* mode's leftovers, so one host never runs two Flotilla rule sets at once.
import { type IptablesBackend, iptablesTools, readSave } from './iptables-backend.js';
import { cleanupPayload } from './iptables-payload.js';
import { flotillaChains, jumpsIntoFlotilla, parseIptablesSave, type SavedTable } from './iptables-save.js';
import { nftTable } from './nft-ruleset.js';
import type { ProxyMode } from './rule-applier.js';
import type { CommandRunner } from './run-command.js';

/** Removes Flotilla's chains from one backend; returns what was removed, empty when nothing was there. */
export async function cleanupIptables(
  run: CommandRunner,
  backend: IptablesBackend,
  saved?: Map<string, SavedTable>,
): Promise<string[]> {
  let tables = saved;
  if (!tables) {
    const text = await readSave(run, backend);
    if (text === undefined) return [];
    tables = parseIptablesSave(text);
  }
  const of = (name: 'nat' | 'filter') => ({
    chains: flotillaChains(tables.get(name)),
    jumps: jumpsIntoFlotilla(tables.get(name)),
  });
  const plan = { nat: of('nat'), filter: of('filter') };
  const payload = cleanupPayload(plan);
  if (payload === '') return [];
  await run([iptablesTools[backend].restore, '--noflush', '--wait=5'], payload);
  const count = (key: 'chains' | 'jumps') => plan.nat[key].length + plan.filter[key].length;
  return [
    `iptables (${backend} backend): removed ${count('chains')} chain(s) and ${count('jumps')} jump(s) into them`,
  ];
}

export async function nftTableExists(run: CommandRunner): Promise<boolean> {
  const { stdout } = await run(['nft', 'list', 'tables', 'ip']);
  return stdout.split('\n').some((line) => line.trim() === `table ip ${nftTable}`);
}

export async function cleanupNft(run: CommandRunner): Promise<string[]> {
  if (!(await nftTableExists(run))) return [];
  await run(['nft', 'delete', 'table', 'ip', nftTable]);
  return [`nftables: removed table ip ${nftTable}`];
}

/** Whether anything Flotilla installs is there, in either iptables backend or nftables; reads only. */
export async function flotillaRulesPresent(run: CommandRunner): Promise<boolean> {
  for (const backend of ['nft', 'legacy'] as const) {
    const text = await readSave(run, backend);
    if (text && flotillaChains(parseIptablesSave(text).get('nat')).length > 0) return true;
  }
  return nftTableExists(run).catch(() => false);
}

/** Everything Flotilla installed for the given modes; tools that are not installed are skipped. */
export async function cleanupRules(run: CommandRunner, modes: readonly ProxyMode[]): Promise<string[]> {
  const removed: string[] = [];
  if (modes.includes('iptables')) {
    for (const backend of ['nft', 'legacy'] as const) removed.push(...(await cleanupIptables(run, backend)));
  }
  if (modes.includes('nftables')) removed.push(...(await cleanupNft(run).catch(ignoreMissingNft)));
  return removed;
}

function ignoreMissingNft(err: Error): string[] {
  if (/is not installed/.test(err.message)) return [];
  throw err;
}
