import type { Logger } from '../../api/logger.js';
// `--proxy-mode iptables|nftables|none` and the applier each mode runs.
//   iptables  kube-proxy's chain layout; fine up to a few thousand services
//   nftables  the chain-free map ruleset, for large fleets (10,000 services in about a second)
//   none      no service rules (a CNI or another proxy does it; or a simulated gateway)
// The default is iptables, except with `--runtime fake`: a simulated gateway shares the host's
// network namespace with everything else on the machine and must not rewrite its firewall.
import { IptablesApplier } from './iptables-applier.js';
import { NftApplier } from './nft-applier.js';
import type { ProxyMode, RuleApplier } from './rule-applier.js';
import type { CommandRunner } from './run-command.js';

export type ProxyModeChoice = ProxyMode | 'none';

export const proxyModes: readonly ProxyModeChoice[] = ['iptables', 'nftables', 'none'];

/** The mode from the flag's value; throws an Error naming the flag for anything else. */
export function parseProxyMode(value: string | undefined, fakeRuntime: boolean): ProxyModeChoice {
  if (value === undefined) return fakeRuntime ? 'none' : 'iptables';
  if ((proxyModes as readonly string[]).includes(value)) return value as ProxyModeChoice;
  throw new Error(
    `--proxy-mode: Unsupported value: ${JSON.stringify(value)}: supported values: ${proxyModes.map((m) => `"${m}"`).join(', ')}`,
  );
}

export function createRuleApplier(mode: ProxyMode, run: CommandRunner, log: Logger): RuleApplier {
  return mode === 'nftables' ? new NftApplier({ run, log }) : new IptablesApplier({ run, log });
}
