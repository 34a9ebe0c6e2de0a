import type { Logger } from '../api/logger.js';
// What `startAgent` is told: the hub and how to trust it, the node, the runtime, and which of
// the optional subsystems run (service proxy, DNS, host routes, LoadBalancer announcement, API
// relay). `flotilla agent` builds this from its flags; tests and simulations build it directly.
import type { RegisteredTaint } from '../api/mqtt/payloads/node-registration.js';
import type { ApiRelayChoice } from './api-relay/agent-api-relay.js';
import type { ClusterDnsOptions } from './dns/cluster-dns.js';
import type { HubLinkTiming } from './hub-link/hub-link.js';
import type { CoalescingOptions } from './local-state/write-coalescer.js';
import type { PodManagerFactory } from './pods/pod-manager-factory.js';
import type { TokenPolicy } from './pods/service-account-tokens.js';
import type { ProxyModeChoice } from './proxy/proxy-mode.js';
import type { RuntimeChoice } from './runtime/open-runtime.js';

export interface AgentOptions {
  hubUrl: string;
  /**
   * The join string, `<token>::sha256:<CA hash>` (DATA_DIR/node-token on the hub), or a bare
   * bootstrap token: needed only until the hub has bound this gateway's node key to its name.
   */
  token?: string | undefined;
  /** The hub's CA, instead of (or checked against) the join string's pin. */
  hubCaFile?: string;
  /** Plain mqtt:// or ws:// to the hub: no TLS. */
  hubInsecurePlaintext?: boolean;
  nodeName: string;
  dataDir: string;
  runtime: RuntimeChoice;
  nodeLabels?: Record<string, string>;
  taints?: RegisteredTaint[];
  log?: Logger;
  timing?: Partial<HubLinkTiming>;
  outboxWrites?: CoalescingOptions;
  outboxLimit?: number;
  /** Default: the pod manager of edge-agent/pods. */
  podManager?: PodManagerFactory;
  /** When pods' ServiceAccount tokens are renewed; default kubelet's (80% of their lifetime). */
  tokenPolicy?: Partial<TokenPolicy>;
  /**
   * Where to write the bridge conflist for the node's pod CIDR when the runtime is not the
   * managed containerd (which has its own conf dir). Unset: the runtime's CNI is assumed ready.
   */
  cniConfDir?: string;
  /**
   * Host routes to the other gateways' pod networks (host-gw). Default: on with a real runtime,
   * off with the fake one or a runtime instance (simulations share the host's routing table).
   */
  podRoutes?: boolean;
  /**
   * Service DNS (edge-agent/dns): cluster domain, the address pods query, the host resolv.conf.
   * Default: on at 169.254.20.10:53 with a real runtime, off with the fake one or an instance.
   */
  dns?: ClusterDnsOptions;
  /**
   * The service proxy's rules (edge-agent/proxy). Default none here, so an embedded agent (tests,
   * simulations) never rewrites the host's firewall; `flotilla agent` defaults to iptables.
   */
  proxyMode?: ProxyModeChoice;
  /**
   * Layer-2 announcement of LoadBalancer addresses on the plant network (edge-agent/l2-announce):
   * the UDP port the site's gateways beat on. Undefined (the default here): off.
   */
  lbAnnounce?: { port: number } | undefined;
  /**
   * The Kubernetes API for pods (edge-agent/api-relay). Default: on with a real runtime (port
   * 10443 on the pod network's gateway address), off with the fake one or an instance; false: off.
   */
  apiRelay?: ApiRelayChoice | false;
}
