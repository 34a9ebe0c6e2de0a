import type { Logger } from '../../api/logger.js';
// The nftables RuleApplier (`--proxy-mode nftables`): the chain-free map ruleset of
// nft-fragment.ts, loaded whole with `nft -f -` on a full sync and edited element by element on an
// update. For large fleets: the work of an update does not grow with the number of services.
// Updates go to one long-lived `nft -i` (nft-session.ts) when the runner can start one: starting
// nft costs more than the update itself. Full syncs and listings still run their own nft.
import { cleanupIptables, flotillaRulesPresent } from './cleanup-rules.js';
import { lostStickyTargets, parseAffinityMap, staleAffinityKeys } from './nft-affinity.js';
import { renderNftPort } from './nft-fragment.js';
import { buildNftRuleset, nftTable } from './nft-ruleset.js';
import { NftSession, type ProcessStarter } from './nft-session.js';
import { applyHairpinDelta, type NftInstalled, nftUpdate } from './nft-update.js';
import { FullSyncNeeded, type PortChange, type RuleApplier } from './rule-applier.js';
import type { CommandRunner } from './run-command.js';
import type { ProxyNode, ServicePort } from './service-port.js';

export interface NftApplierOptions {
  run: CommandRunner;
  log: Logger;
  /** Starts the update session's nft; default `run.start`; without one, each update runs `nft -f -`. */
  start?: ProcessStarter;
}

export class NftApplier implements RuleApplier {
  readonly mode = 'nftables';
  private installed: NftInstalled | undefined;
  private prepared = false;
  private readonly session: NftSession | undefined;

  constructor(private readonly options: NftApplierOptions) {
    const start = options.start ?? options.run.start;
    this.session = start ? new NftSession({ start }) : undefined;
  }

  async syncAll(ports: readonly ServicePort[], node: ProxyNode): Promise<void> {
    const { run, log } = this.options;
    if (!this.prepared) {
      // iptables-mode rules of an earlier run would DNAT the same packets first.
      const removed = await Promise.all([cleanupIptables(run, 'nft'), cleanupIptables(run, 'legacy')]);
      for (const line of removed.flat()) log.info(`${line} (left by iptables mode)`);
      this.prepared = true;
    }
    const { text, installed } = buildNftRuleset(ports, node);
    this.installed = undefined;
    await run(['nft', '-f', '-'], text);
    this.installed = installed;
    this.session?.warm();
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
      // On a failure `installed` stays unset: the caller's full sync rebuilds it.
      this.installed = undefined;
      if (this.session) await this.session.apply(result.script);
      else await this.options.run(['nft', '-f', '-'], result.script);
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

  /** Ends the update session's nft (the rules stay); the next update starts another. */
  close(): void {
    this.session?.close();
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
