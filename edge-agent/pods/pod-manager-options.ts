import type { Logger } from '../../api/logger.js';
// What a PodManager is built with. Durations in milliseconds; every optional one has the
// kubelet's default, shorter values are for tests.

import type { Clock } from '../../api/clock.js';
import type { PodDnsSettings } from '../dns/pod-dns-config.js';
import type { AgentObserver } from '../metrics/agent-observer.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { BackoffPolicy } from './backoff.js';
import type { HubContactView } from './disconnect-holds.js';
import type { PodManagerReports } from './pod-manager-contract.js';
import type { TokenPolicy, TokenSource } from './service-account-tokens.js';

export interface PodManagerOptions {
  runtime: ContainerRuntime;
  nodeName: string;
  /** Per-pod directories (volumes, logs) live under <dataDir>/pods/<uid>/. */
  dataDir: string;
  clock: Clock;
  reports: PodManagerReports;
  /** How often the runtime is polled (containerd 1.6 has no events); default 1000. */
  syncIntervalMs?: number;
  /** False while the node has no pod CIDR: pods (but host-network ones) wait without a sandbox. */
  podCidrReady?: () => boolean;
  /**
   * Since when the hub is out of reach: pods annotated flotilla.io/disconnect=stop-after or
   * replace-after are held stopped once theirs has run out. None: the hub is always in reach.
   */
  hubContact?: HubContactView;
  hostIP?: string;
  log: Logger;
  /** Times pod sync passes and pod starts (the agent's metrics). */
  observer?: AgentObserver | undefined;
  /** Crash-loop back-off; default kubelet's 10 s doubling to 5 min. */
  crashBackoff?: BackoffPolicy;
  /** Image pull back-off; default kubelet's 10 s doubling to 5 min. */
  pullBackoff?: BackoffPolicy;
  /** Back-off after a failed sandbox creation; default kubelet's 10 s doubling to 5 min. */
  sandboxBackoff?: BackoffPolicy;
  /** Upper bound of one image pull; default 5 min. */
  pullTimeoutMs?: number;
  /** cgroupfs subtree for pods (<cgroupRoot>/pod<uid>); default the runtime's. */
  cgroupRoot?: string;
  /** Pods' resolv.conf (cluster DNS, search path, dnsPolicy); default: the runtime's own. */
  dns?: PodDnsSettings;
  /** Where the ServiceAccount tokens of projected volumes come from (the hub link); none: such pods cannot start. */
  tokens?: TokenSource;
  /** When tokens are renewed; default kubelet's (80% of the lifetime, or 24 h). */
  tokenPolicy?: Partial<TokenPolicy>;
  /** containerID prefix in statuses; default containerd. */
  runtimeName?: string;
}
