// The seam between the agent and its pod manager: what the agent gives one (deps) and the
// default, edge-agent/pods' PodManager. Tests and simulations pass their own factory.
import { systemClock } from '../../api/clock.js';
import type { Logger } from '../../api/logger.js';
import type { PodDnsSettings } from '../dns/pod-dns-config.js';
import type { AgentObserver } from '../metrics/agent-observer.js';
import { localInternalIPs } from '../node-status/host-facts.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { HubContactView } from './disconnect-holds.js';
import { PodManager } from './pod-manager.js';
import type { PodManagerApi, PodManagerReports } from './pod-manager-contract.js';
import type { TokenPolicy, TokenSource } from './service-account-tokens.js';

export interface PodManagerDeps {
  nodeName: string;
  dataDir: string;
  runtime: ContainerRuntime;
  reports: PodManagerReports;
  /** False until the node's pod network is configured; see PodManagerOptions. */
  podCidrReady: () => boolean;
  /** Pods' resolv.conf: the service DNS, the cluster domain, the host's resolvers. */
  dns?: PodDnsSettings;
  /** Since when the hub is out of reach (flotilla.io/disconnect); see PodManagerOptions. */
  hubContact?: HubContactView;
  /** Times pod sync and pod starts (the agent's metrics). */
  observer?: AgentObserver;
  /** The pods' ServiceAccount tokens, asked of the hub over the link. */
  tokens?: TokenSource;
  /** When those tokens are renewed (tests shorten it); see PodManagerOptions. */
  tokenPolicy?: Partial<TokenPolicy>;
  log: Logger;
}

export type PodManagerFactory = (deps: PodManagerDeps) => PodManagerApi | Promise<PodManagerApi>;

/** The pod manager of edge-agent/pods, with the node's address and the runtime's name. */
export const defaultPodManager: PodManagerFactory = async (deps) => {
  const version = await deps.runtime.version().catch(() => undefined);
  const hostIP = localInternalIPs()[0];
  return new PodManager({
    ...deps,
    clock: systemClock,
    ...(hostIP ? { hostIP } : {}),
    ...(version ? { runtimeName: version.runtimeName } : {}),
  });
};
