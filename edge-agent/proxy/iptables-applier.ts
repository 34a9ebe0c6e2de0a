import type { Logger } from '../../api/logger.js';
// The iptables RuleApplier: kube-proxy's chain layout through `iptables-restore --noflush`, with
// the backend (nft or legacy) chosen once and kept for the life of the applier. A full sync reads
// the backend's rules first (stale chains, hook jumps already there); an update writes only the
// chains and shared rules of the changed ports.
import { cleanupIptables, cleanupNft, flotillaRulesPresent } from './cleanup-rules.js';
import {
  chooseBackend,
  type IptablesBackend,
  iptablesTools,
  readBackends,
  readSave,
} from './iptables-backend.js';
import { renderIptablesPort } from './iptables-fragment.js';
import { fullPayload, hookJumps, updatePayload } from './iptables-payload.js';
import { flotillaChains, parseIptablesSave, ruleChains } from './iptables-save.js';
import type { PortChange, RuleApplier } from './rule-applier.js';
import type { CommandRunner } from './run-command.js';
import type { ProxyNode, ServicePort } from './service-port.js';

export interface IptablesApplierOptions {
  run: CommandRunner;
  log: Logger;
  /** Skip detection (tests, benchmarks); default: detected like kube-proxy's wrapper. */
  backend?: IptablesBackend;
}

export class IptablesApplier implements RuleApplier {
  readonly mode = 'iptables';
  private chosen: Promise<IptablesBackend> | undefined;

  constructor(private readonly options: IptablesApplierOptions) {}

  /** The backend in use, chosen (and the other mode's and backend's leftovers removed) on first use. */
  backend(): Promise<IptablesBackend> {
    this.chosen ??= this.choose().catch((err: unknown) => {
      this.chosen = undefined;
      throw err;
    });
    return this.chosen;
  }

  async syncAll(ports: readonly ServicePort[], node: ProxyNode): Promise<void> {
    const backend = await this.backend();
    const saved = parseIptablesSave((await readSave(this.options.run, backend)) ?? '');
    const present = (table: 'nat' | 'filter') => saved.get(table)?.rules.map(ruleChains) ?? [];
    const hooks = hookJumps.filter((hook) =>
      present(hook.table).some(({ chain, target }) => chain === hook.chain && target === hook.target),
    );
    const payload = fullPayload(
      ports.map((port) => renderIptablesPort(port, node)),
      {
        chains: { nat: flotillaChains(saved.get('nat')), filter: flotillaChains(saved.get('filter')) },
        hooks,
      },
    );
    await this.restore(backend, payload);
  }

  async update(changes: readonly PortChange[], node: ProxyNode): Promise<void> {
    if (!this.chosen) throw new Error('update before the first full sync');
    const backend = await this.backend();
    const payload = updatePayload(
      changes.map(({ before, after }) => ({
        ...(before ? { before: renderIptablesPort(before, node) } : {}),
        ...(after ? { after: renderIptablesPort(after, node) } : {}),
      })),
    );
    if (payload !== '') await this.restore(backend, payload);
  }

  hasRules(): Promise<boolean> {
    return flotillaRulesPresent(this.options.run);
  }

  private async restore(backend: IptablesBackend, payload: string): Promise<void> {
    await this.options.run([iptablesTools[backend].restore, '--noflush', '--wait=5'], payload);
  }

  private async choose(): Promise<IptablesBackend> {
    const { run, log } = this.options;
    const saves = await readBackends(run);
    const { backend, reason } = this.options.backend
      ? { backend: this.options.backend, reason: 'as configured' }
      : chooseBackend(saves);
    log.info(`iptables mode, ${backend} backend (${reason})`);
    // Our rules in the other backend (an earlier run chose differently) would see the same packets.
    const other: IptablesBackend = backend === 'nft' ? 'legacy' : 'nft';
    const otherSave = saves[other];
    if (otherSave) for (const line of await cleanupIptables(run, other, otherSave)) log.info(`${line}`);
    for (const line of await cleanupNft(run).catch(() => [])) log.info(`${line} (left by nftables mode)`);
    return backend;
  }
}
