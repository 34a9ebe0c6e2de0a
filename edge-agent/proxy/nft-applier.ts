// The nftables RuleApplier (`--proxy-mode nftables`): the chain-free map ruleset of
// nft-fragment.ts, loaded whole with `nft -f -` on a full sync and edited element by element on an
// update. For large fleets: the work of an update does not grow with the number of services.
import { cleanupIptables, flotillaRulesPresent } from './cleanup-rules.js';
import { lostStickyTargets, parseAffinityMap, staleAffinityKeys } from './nft-affinity.js';
import { renderNftPort } from './nft-fragment.js';
import { buildNftRuleset, nftTable } from './nft-ruleset.js';
import { applyHairpinDelta, type NftInstalled, nftUpdate } from './nft-update.js';
import { FullSyncNeeded, type PortChange, type RuleApplier } from './rule-applier.js';
import type { CommandRunner } from './run-command.js';
import type { ProxyNode, ServicePort } from './service-port.js';

export interface NftApplierOptions {
  run: CommandRunner;
  log: (line: string) => void;
}

export class NftApplier implements RuleApplier {
  readonly mode = 'nftables';
  private installed: NftInstalled | undefined;
  private prepared = false;

  constructor(private readonly options: NftApplierOptions) {}

  async syncAll(ports: readonly ServicePort[], node: ProxyNode): Promise<void> {
    const { run, log } = this.options;
    if (!this.prepared) {
      // iptables-mode rules of an earlier run would DNAT the same packets first.
      const removed = await Promise.all([cleanupIptables(run, 'nft'), cleanupIptables(run, 'legacy')]);
      for (const line of removed.flat()) log(`service proxy: ${line} (left by iptables mode)`);
      this.prepared = true;
    }
    const { text, installed } = buildNftRuleset(ports, node);
    this.installed = undefined;
    await run(['nft', '-f', '-'], text);
    this.installed = installed;
  }

  async update(changes: readonly PortChange[], node: ProxyNode): Promise<void> {
    const installed = this.installed;
    if (!installed) throw new Error('update before a successful full sync');
    const result = nftUpdate(
      changes.map(({ before, after }) => ({
        ...(before ? { before: renderNftPort(before, node) } : {}),
        ...(after ? { after: renderNftPort(after, node) } : {}),
      })),
      installed,
    );
    if ('fullSync' in result) throw new FullSyncNeeded(result.fullSync);
    if (result.script !== '') {
      this.installed = undefined;
      await this.options.run(['nft', '-f', '-'], result.script);
      this.installed = installed;
    }
    applyHairpinDelta(installed.hairpin, result.hairpinDelta);
    const sticky = changes.flatMap(({ before, after }) =>
      before && lostStickyTargets(before, after, node.addresses)
        ? [{ before, ...(after ? { after } : {}) }]
        : [],
    );
    if (sticky.length > 0) await this.forgetStaleAffinity(sticky, node);
  }

  hasRules(): Promise<boolean> {
    return flotillaRulesPresent(this.options.run);
  }

  /** After the update, so no new entry can point at a removed endpoint any more. */
  private async forgetStaleAffinity(
    changes: Array<{ before: ServicePort; after?: ServicePort }>,
    node: ProxyNode,
  ): Promise<void> {
    const { run } = this.options;
    const listing = await run(['nft', '-j', 'list', 'map', 'ip', nftTable, 'affinity']);
    const stale = staleAffinityKeys(parseAffinityMap(listing.stdout), changes, node.addresses);
    if (stale.length === 0) return;
    const remove = `delete element ip ${nftTable} affinity { ${stale.join(', ')} }\n`;
    // An entry may time out between the listing and the delete, failing the whole batch: then
    // forget every sticky client instead (they are re-balanced once, never sent to a dead pod).
    await run(['nft', '-f', '-'], remove).catch(() =>
      run(['nft', 'flush', 'map', 'ip', nftTable, 'affinity']),
    );
  }
}
