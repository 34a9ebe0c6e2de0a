import type { Logger } from '../../api/logger.js';
// The service proxy as the agent runs it: in the agent's own network namespace (the gateway's),
// for the mode of --proxy-mode, with the node's IPv4 addresses as NodePort destinations.

import { networkInterfaces } from 'node:os';
import type { AgentObserver } from '../metrics/agent-observer.js';
import { createRuleApplier, type ProxyModeChoice } from './proxy-mode.js';
import { commandRunner } from './run-command.js';
import { ServiceProxy } from './service-proxy.js';

/** The node's own IPv4 addresses, loopback excluded. */
export function hostIPv4Addresses(): string[] {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces()))
    for (const address of list ?? [])
      if (address.family === 'IPv4' && !address.internal) out.add(address.address);
  return [...out].sort();
}

/** The proxy for `mode`, or undefined for `none`. */
export function createAgentProxy(
  mode: ProxyModeChoice,
  nodeName: string,
  log: Logger,
  observer?: AgentObserver,
): ServiceProxy | undefined {
  if (mode === 'none') return undefined;
  return new ServiceProxy({
    applier: createRuleApplier(mode, commandRunner(), log),
    nodeName,
    addresses: hostIPv4Addresses(),
    log,
    observer,
  });
}
