// `flotilla agent cleanup-rules [--proxy-mode iptables|nftables|all]`: removes every rule the
// service proxy installed (both iptables backends, the nftables table) and, with all, the service
// DNS interface flotilla-dns0 and the host routes to other gateways' pods — e.g. before uninstalling the agent or after switching proxy modes
// by hand. The agent itself keeps its rules when it stops, so Services keep working while it is
// down; this is the explicit way to take them away.
import { silentLogger } from '../api/logger.js';
import { UsageError } from '../api/usage-error.js';
import { removeDnsInterface } from '../edge-agent/dns/dns-interface.js';
import { HostRoutes } from '../edge-agent/network/host-routes.js';
import { cleanupRules } from '../edge-agent/proxy/cleanup-rules.js';
import type { ProxyMode } from '../edge-agent/proxy/rule-applier.js';
import { commandRunner } from '../edge-agent/proxy/run-command.js';
import { parseFlags } from './parse-flags.js';

export const cleanupRulesUsage = `flotilla agent cleanup-rules [--proxy-mode iptables|nftables|all]
  --proxy-mode MODE                whose rules to remove (default all: iptables, both backends, nftables,
                                   the service DNS interface flotilla-dns0 and the pod routes)
`;

export function parseCleanupRulesArgs(args: string[]): ProxyMode[] | 'help' {
  const { values } = parseFlags({
    args,
    allowPositionals: false,
    options: { 'proxy-mode': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  const mode = (values['proxy-mode'] as string | undefined) ?? 'all';
  if (mode === 'all') return ['iptables', 'nftables'];
  if (mode === 'iptables' || mode === 'nftables') return [mode];
  throw new UsageError(
    `--proxy-mode: Unsupported value: ${JSON.stringify(mode)}: supported values: "iptables", "nftables", "all"`,
  );
}

export async function runCleanupRules(
  args: string[],
  print: (line: string) => void = (line) => console.log(line),
): Promise<void> {
  const modes = parseCleanupRulesArgs(args);
  if (modes === 'help') {
    print(cleanupRulesUsage.trimEnd());
    return;
  }
  const removed = await cleanupRules(commandRunner(), modes);
  if (modes.length === 2 && (await removeDnsInterface()))
    removed.push('service DNS: removed interface flotilla-dns0');
  if (modes.length === 2) {
    const routes = await new HostRoutes({ addresses: () => [], log: silentLogger })
      .removeAll()
      .catch(() => 0);
    if (routes > 0)
      removed.push(`pod routes: removed ${routes} route(s) to other gateways' pods (proto 249)`);
  }
  if (removed.length === 0) print(`no Flotilla service rules found (${modes.join(', ')})`);
  for (const line of removed) print(line);
}
