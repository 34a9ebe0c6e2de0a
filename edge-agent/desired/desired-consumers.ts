import type { Logger } from '../../api/logger.js';
// Who consumes the agent's desired state, and in which order: ONE list, used for the start-up
// replay from local state (the hub may be away) and for every change from the hub (own state
// from desired-sync.ts, shared Services, slices and routes from shared-sync.ts). desired-view.ts
// walks it; agent.ts builds it from the parts it started.
//
// The order is the one a new pod needs: its network first (pod CIDR: conflist, the simulated
// runtime's IPs, the API relay's address), then the names and addresses it will look up (DNS,
// service rules, LoadBalancer announcement, routes to the other gateways' pods), the pod itself
// last.
import type { DesiredState } from '../../api/mqtt/payloads/desired-state.js';
import type { AgentApiRelay } from '../api-relay/agent-api-relay.js';
import type { ClusterDns } from '../dns/cluster-dns.js';
import type { SharedView } from '../hub-link/shared-sync.js';
import type { LbAnnouncer } from '../l2-announce/lb-announcer.js';
import type { HostRoutes } from '../network/host-routes.js';
import type { PodManagerApi } from '../pods/pod-manager-contract.js';
import type { ProxyInput, ServiceProxy } from '../proxy/service-proxy.js';
import type { PodNetwork } from '../runtime/pod-network.js';

/** What the consumers are given: the two halves of the desired state, and a serial over both. */
export interface AppliedDesired {
  /** The node's own desired state (pods, ConfigMaps, Secrets, pod CIDR); undefined until the hub sent one. */
  own: DesiredState | undefined;
  /** Services, EndpointSlices and the segment's pod routes. */
  shared: SharedView;
  /** Grows with every applied change, own or shared: the DNS zone's SOA serial. */
  serial: number;
}

export interface DesiredConsumer {
  /** Named in logs and in the error ack when it refuses a state ("pod manager refused revision 7: …"). */
  readonly name: string;
  /**
   * What it reads: 'own' is skipped when only the shared half changed; 'shared' and 'both' are
   * given every change.
   */
  readonly reads: 'own' | 'shared' | 'both';
  /** Applies the state; throws only to refuse it (the hub is told, the others still apply). */
  apply(desired: AppliedDesired): void;
}

/** The agent's parts that consume desired state; the optional ones are off on some gateways. */
export interface ConsumerParts {
  podNetwork: Pick<PodNetwork, 'apply'>;
  /** A simulated runtime's pod IPs follow the Node's pod CIDR (open-runtime.ts). */
  simulatedRuntime?: ((podCidr: string) => void) | undefined;
  apiRelay?: Pick<AgentApiRelay, 'usePodCidr'> | undefined;
  dns: Pick<ClusterDns, 'update'>;
  proxy?: Pick<ServiceProxy, 'setDesired'> | undefined;
  announcer?: Pick<LbAnnouncer, 'setDesired'> | undefined;
  podRoutes?: Pick<HostRoutes, 'apply'> | undefined;
  podManager: Pick<PodManagerApi, 'setDesired'>;
  log: Logger;
}

/** The proxy's input (and the announcer's): the shared Services and slices, the node's pod CIDR. */
function serviceInput({ own, shared }: AppliedDesired): ProxyInput {
  return own?.podCIDR ? { ...shared, podCIDR: own.podCIDR } : shared;
}

export function desiredConsumers(parts: ConsumerParts): DesiredConsumer[] {
  const { podNetwork, simulatedRuntime, apiRelay, proxy, announcer, podRoutes } = parts;
  const list: (DesiredConsumer | false | undefined)[] = [
    // A pod CIDR is never unassigned (Kubernetes): an absent one keeps the current network.
    { name: 'pod network', reads: 'own', apply: ({ own }) => podNetwork.apply(own?.podCIDR) },
    simulatedRuntime && {
      name: 'simulated runtime',
      reads: 'own',
      apply: ({ own }) => {
        if (own?.podCIDR === undefined) return;
        try {
          simulatedRuntime(own.podCIDR);
        } catch (err) {
          parts.log.warn(`simulated runtime cannot use pod CIDR ${own.podCIDR}: ${(err as Error).message}`);
        }
      },
    },
    apiRelay && {
      name: 'API relay',
      reads: 'own',
      apply: ({ own }) => {
        if (own?.podCIDR !== undefined) apiRelay.usePodCidr(own.podCIDR);
      },
    },
    // Before the pods: a new pod may look up a new Service as soon as it starts.
    {
      name: 'DNS',
      reads: 'shared',
      apply: ({ shared, serial }) => parts.dns.update({ ...shared, revision: serial }),
    },
    proxy && {
      name: 'service proxy',
      reads: 'both',
      apply: (desired) => proxy.setDesired(serviceInput(desired)),
    },
    // The announcer reads what the proxy reads: Services (with their addresses) and EndpointSlices.
    announcer && {
      name: 'LoadBalancer announcer',
      reads: 'shared',
      apply: (desired) => announcer.setDesired(serviceInput(desired)),
    },
    podRoutes && {
      name: 'pod routes',
      reads: 'both',
      // Never throws; a failure is logged by the routes themselves.
      apply: ({ own, shared }) => void podRoutes.apply(shared.podRoutes ?? [], own?.podCIDR),
    },
    // Pods, with the ConfigMaps and Secrets their volumes and environment read.
    {
      name: 'pod manager',
      reads: 'own',
      apply: ({ own }) => {
        if (own) parts.podManager.setDesired(own);
      },
    },
  ];
  return list.filter((consumer): consumer is DesiredConsumer => Boolean(consumer));
}
