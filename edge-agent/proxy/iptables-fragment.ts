// One service port → its iptables rules, in kube-proxy's chain layout. Pure.
//
//   nat FLOTILLA-SERVICES   cluster IP → SVC (or SVL with internalTrafficPolicy Local);
//                           external and load balancer IPs → EXT
//   nat FLOTILLA-NODEPORTS  node port → EXT
//   EXT  masquerade (Cluster policy), or keep the client address and send pods and the node itself
//        to all endpoints (Local policy); then → SVC or SVL
//   SVC / SVL  one rule per endpoint with `statistic random` probabilities 1/n, 1/(n-1), …, so
//        each endpoint gets an equal share; with ClientIP affinity, `recent` rules first
//   SEP  masquerade hairpin traffic (an endpoint reaching itself), then DNAT
//   filter FLOTILLA-SERVICES / FLOTILLA-EXT-SERVICES  REJECT when there is no endpoint at all (so
//        clients fail at once instead of hanging), DROP when a Local policy has none on this node
//        (kube-proxy's choice: that traffic should not have come to this node)
import { baseChains, endpointChain, portChain } from './chain-names.js';
import {
  type ProxyEndpoint,
  type ProxyNode,
  portPolicy,
  type ServicePort,
  usedEndpoints,
} from './service-port.js';

export type SharedChain = 'nat-services' | 'nat-nodeports' | 'filter-services' | 'filter-external';

export interface SharedRule {
  chain: SharedChain;
  /** The rule's arguments after `-A CHAIN`, so it can be appended, inserted or deleted. */
  rule: string;
}

export interface IptablesFragment {
  /** Rules in the chains all services share. */
  shared: SharedRule[];
  /** The port's own nat chains and their rules (arguments after `-A CHAIN`), in creation order. */
  chains: Map<string, string[]>;
}

export function renderIptablesPort(port: ServicePort, node: ProxyNode): IptablesFragment {
  const policy = portPolicy(port);
  const p = port.protocol.toLowerCase();
  const id = port.id;
  const svc = portChain('SVC', port);
  const svl = portChain('SVL', port);
  const ext = portChain('EXT', port);
  const internalChain = port.internalLocal ? svl : svc;
  const externalChain = port.externalLocal ? svl : svc;
  const shared: SharedRule[] = [];
  const chains = new Map<string, string[]>();
  const rules = (chain: string) => chains.get(chain) ?? chains.set(chain, []).get(chain)!;
  // A TCP reset rather than ICMP for TCP: the kernel rate-limits ICMP errors per host, and a client
  // whose "port unreachable" was suppressed waits for its SYN to time out instead of failing.
  const reject = port.protocol === 'TCP' ? 'REJECT --reject-with tcp-reset' : 'REJECT';
  const missingTarget = (has: boolean) =>
    has
      ? undefined
      : policy.hasAnyEndpoints
        ? ['has no local endpoints', 'DROP']
        : ['has no endpoints', reject];
  if (policy.clusterView.length > 0) rules(svc);
  if (policy.localView.length > 0) rules(svl);

  // The cluster IP.
  const clusterMatch = `-m ${p} -p ${p} -d ${port.clusterIP}/32 --dport ${port.port}`;
  const internalMissing = missingTarget(policy.internalEndpoints.length > 0);
  if (!internalMissing) {
    // Traffic from outside the pod network (routed to the cluster IP through this node) may
    // leave again to another node's pod: masquerade it so the reply comes back through us.
    if (node.podCIDR)
      rules(internalChain).push(
        `-m comment --comment "${id} cluster IP" ${clusterMatch} ! -s ${node.podCIDR} -j ${baseChains.markMasq}`,
      );
    shared.push({
      chain: 'nat-services',
      rule: `-m comment --comment "${id} cluster IP" ${clusterMatch} -j ${internalChain}`,
    });
  } else {
    const [why, target] = internalMissing;
    shared.push({
      chain: 'filter-services',
      rule: `-m comment --comment "${id} ${why}" ${clusterMatch} -j ${target}`,
    });
  }

  // External destinations: external IPs, load balancer IPs, the node port.
  const externalMissing = missingTarget(policy.externalEndpoints.length > 0);
  const destinations = [
    ...port.externalIPs.map((ip) => ({ what: 'external IP', ip })),
    ...port.loadBalancerIPs.map((ip) => ({ what: 'loadbalancer IP', ip })),
  ];
  for (const { what, ip } of destinations) {
    const match = `-m ${p} -p ${p} -d ${ip}/32 --dport ${port.port}`;
    if (policy.hasAnyEndpoints)
      shared.push({ chain: 'nat-services', rule: `-m comment --comment "${id} ${what}" ${match} -j ${ext}` });
    if (externalMissing)
      shared.push({
        chain: 'filter-external',
        rule: `-m comment --comment "${id} ${externalMissing[0]}" ${match} -j ${externalMissing[1]}`,
      });
  }
  if (port.nodePort !== undefined) {
    const match = `-m ${p} -p ${p} --dport ${port.nodePort}`;
    if (policy.hasAnyEndpoints)
      shared.push({ chain: 'nat-nodeports', rule: `-m comment --comment ${id} ${match} -j ${ext}` });
    if (externalMissing)
      shared.push({
        chain: 'filter-external',
        rule: `-m comment --comment "${id} ${externalMissing[0]}" -m addrtype --dst-type LOCAL ${match} -j ${externalMissing[1]}`,
      });
  }
  if (policy.external && policy.hasAnyEndpoints) {
    const rulesOfExt = rules(ext);
    const about = `${id} external destinations`;
    if (!port.externalLocal) {
      // Endpoints may be on other nodes: the reply must come back through this node.
      rulesOfExt.push(`-m comment --comment "masquerade traffic for ${about}" -j ${baseChains.markMasq}`);
    } else {
      // Pods and the node itself are not "external": they reach every endpoint, as if they had
      // gone out to the load balancer and come back. The node's own traffic has a local source
      // address the endpoint could not answer, hence the masquerade.
      if (node.podCIDR)
        rulesOfExt.push(`-m comment --comment "pod traffic for ${about}" -s ${node.podCIDR} -j ${svc}`);
      rulesOfExt.push(
        `-m comment --comment "masquerade LOCAL traffic for ${about}" -m addrtype --src-type LOCAL -j ${baseChains.markMasq}`,
        `-m comment --comment "route LOCAL traffic for ${about} to all endpoints" -m addrtype --src-type LOCAL -j ${svc}`,
      );
    }
    if (!externalMissing) rulesOfExt.push(`-j ${externalChain}`);
  }

  if (policy.clusterView.length > 0) rules(svc).push(...balance(port, policy.clusterView));
  if (policy.localView.length > 0) rules(svl).push(...balance(port, policy.localView));
  for (const ep of usedEndpoints(policy)) chains.set(endpointChain(port, ep), endpointRules(port, ep, p));
  return { shared, chains };
}

/** Random choice with equal shares; sticky clients first when the port has ClientIP affinity. */
function balance(port: ServicePort, endpoints: ProxyEndpoint[]): string[] {
  const out: string[] = [];
  const comment = (ep: ProxyEndpoint) => `-m comment --comment "${port.id} -> ${ep.ip}:${ep.port}"`;
  const chains = endpoints.map((ep) => endpointChain(port, ep));
  if (port.affinitySeconds !== undefined) {
    endpoints.forEach((ep, i) => {
      out.push(
        `${comment(ep)} -m recent --name ${chains[i]} --mask 255.255.255.255 --rsource --rcheck --seconds ${port.affinitySeconds} --reap -j ${chains[i]}`,
      );
    });
  }
  endpoints.forEach((ep, i) => {
    const left = endpoints.length - i;
    const chance = left > 1 ? ` -m statistic --mode random --probability ${probability(left)}` : '';
    out.push(`${comment(ep)}${chance} -j ${chains[i]}`);
  });
  return out;
}

const probabilities: string[] = [];

/** 1/n with ten decimals, as kube-proxy writes it. */
function probability(n: number): string {
  probabilities[n] ??= (1 / n).toFixed(10);
  return probabilities[n]!;
}

function endpointRules(port: ServicePort, ep: ProxyEndpoint, p: string): string[] {
  const sep = endpointChain(port, ep);
  const sticky =
    port.affinitySeconds !== undefined
      ? ` -m recent --name ${sep} --mask 255.255.255.255 --rsource --set`
      : '';
  return [
    // Hairpin: a pod reaching itself through the Service would otherwise answer itself directly.
    `-m comment --comment ${port.id} -s ${ep.ip}/32 -j ${baseChains.markMasq}`,
    `-m comment --comment ${port.id}${sticky} -m ${p} -p ${p} -j DNAT --to-destination ${ep.ip}:${ep.port}`,
  ];
}
