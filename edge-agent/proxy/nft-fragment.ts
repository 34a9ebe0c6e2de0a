// One service port → its elements in the nftables proxy's maps and sets. Pure.
//
// The nftables mode keeps a fixed set of chains whatever the number of services: nft 1.0.6 and
// iptables-nft slow down far more than linearly with the number of chains (firmware-notes/host-runtime.md §3:
// 50 s for 10,000 services with a chain per service, 1.2 s with none). A service is only data:
//   frontend (ip . proto . port, or proto . port for a node port) → `goto dnat-<n>` in a verdict
//   map, where dnat-<n> is shared by every frontend with n endpoints and picks one with
//   `numgen random mod n` in the endpoints map keyed by (frontend . slot).
// Masquerade, reject and drop decisions are set lookups by frontend. Local traffic policies use
// a second endpoints map holding this node's endpoints (dnat-local-<n>).
import {
  type ProxyEndpoint,
  type ProxyNode,
  portPolicy,
  type ServicePort,
  usedEndpoints,
} from './service-port.js';

export type NftSet =
  | 'cluster-ips'
  | 'external-ips'
  | 'external-ips-cluster'
  | 'nodeports'
  | 'nodeports-cluster'
  | 'endpoints'
  | 'local-endpoints'
  | 'nodeport-endpoints'
  | 'nodeport-local-endpoints'
  | 'masq-external'
  | 'masq-nodeports'
  | 'local-policy-external'
  | 'local-policy-nodeports'
  | 'no-endpoints'
  | 'no-local-endpoints'
  | 'no-endpoint-nodeports'
  | 'no-local-nodeports'
  | `affinity-${number}`;

export interface NftElement {
  set: NftSet;
  key: string;
  /** Maps only. */
  value?: string;
}

export interface NftFragment {
  elements: NftElement[];
  /** The dnat-* chains its verdicts go to. */
  chains: string[];
  /** Endpoint addresses, for the hairpin set. */
  endpointIPs: string[];
  affinitySeconds?: number;
}

type View = 'cluster' | 'local';

/** The dnat chain for `count` endpoints of a view, keyed by address or by node port. */
export function dnatChain(nodePort: boolean, view: View, count: number): string {
  return `${nodePort ? 'nodeport-' : ''}dnat-${view === 'local' ? 'local-' : ''}${count}`;
}

/** The dnat chains a full sync creates: the ones in use and those for 1 to 16 endpoints. */
export function dnatChainsFor(used: Iterable<string>): string[] {
  const chains = new Set(used);
  for (let count = 1; count <= 16; count++)
    for (const nodePort of [false, true])
      for (const view of ['cluster', 'local'] as const) chains.add(dnatChain(nodePort, view, count));
  return [...chains].sort(byCount);
}

function byCount(a: string, b: string): number {
  const [prefixA, countA] = [a.replace(/\d+$/, ''), Number(/\d+$/.exec(a)?.[0])];
  const [prefixB, countB] = [b.replace(/\d+$/, ''), Number(/\d+$/.exec(b)?.[0])];
  return prefixA === prefixB ? countA - countB : prefixA < prefixB ? -1 : 1;
}

export function affinitySet(seconds: number): NftSet {
  return `affinity-${seconds}`;
}

/** Where a port's pieces go: a fragment (updates, tests) or straight into ruleset text (full syncs). */
export interface NftSink {
  element(set: NftSet, key: string, value?: string): void;
  chain(name: string): void;
  endpointIP(ip: string): void;
  affinity(seconds: number): void;
}

export function renderNftPort(port: ServicePort, node: ProxyNode): NftFragment {
  const elements: NftElement[] = [];
  const chains = new Set<string>();
  const ips = new Set<string>();
  let affinitySeconds: number | undefined;
  emitNftPort(port, node, {
    element: (set, key, value) => elements.push(value === undefined ? { set, key } : { set, key, value }),
    chain: (name) => chains.add(name),
    endpointIP: (ip) => ips.add(ip),
    affinity: (seconds) => {
      affinitySeconds = seconds;
    },
  });
  const fragment: NftFragment = { elements, chains: [...chains], endpointIPs: [...ips] };
  if (affinitySeconds !== undefined) fragment.affinitySeconds = affinitySeconds;
  return fragment;
}

export function emitNftPort(port: ServicePort, node: ProxyNode, sink: NftSink): void {
  const policy = portPolicy(port);
  const proto = port.protocol.toLowerCase();
  const add = (set: NftSet, key: string, value?: string) => sink.element(set, key, value);
  /** Frontend `key` sends to `endpoints` through the verdict map `vmap`. */
  const route = (vmap: NftSet, key: string, nodePort: boolean, view: View, endpoints: ProxyEndpoint[]) => {
    const chain = dnatChain(nodePort, view, endpoints.length);
    sink.chain(chain);
    add(vmap, key, `goto ${chain}`);
    const map: NftSet =
      `${nodePort ? 'nodeport-' : ''}${view === 'local' ? 'local-' : ''}endpoints` as NftSet;
    endpoints.forEach((ep, slot) => {
      add(map, `${key} . ${slot}`, `${ep.ip} . ${ep.port}`);
    });
  };
  const missing = (set: 'ip' | 'port') =>
    policy.hasAnyEndpoints
      ? set === 'ip'
        ? 'no-local-endpoints'
        : 'no-local-nodeports'
      : set === 'ip'
        ? 'no-endpoints'
        : 'no-endpoint-nodeports';
  const sticky: string[] = [];

  const clusterKey = `${port.clusterIP} . ${proto} . ${port.port}`;
  if (policy.internalEndpoints.length > 0) {
    route(
      'cluster-ips',
      clusterKey,
      false,
      port.internalLocal ? 'local' : 'cluster',
      policy.internalEndpoints,
    );
    sticky.push(clusterKey);
  } else {
    add(missing('ip'), clusterKey);
  }

  const externalKeys = [...port.externalIPs, ...port.loadBalancerIPs].map(
    (ip) => `${ip} . ${proto} . ${port.port}`,
  );
  const nodePortKeys = port.nodePort === undefined ? [] : [`${proto} . ${port.nodePort}`];
  const hasExternal = policy.externalEndpoints.length > 0;
  for (const [keys, nodePort] of [
    [externalKeys, false],
    [nodePortKeys, true],
  ] as const) {
    for (const key of keys) {
      if (policy.hasAnyEndpoints && !port.externalLocal) {
        route(nodePort ? 'nodeports' : 'external-ips', key, nodePort, 'cluster', policy.clusterView);
        add(nodePort ? 'masq-nodeports' : 'masq-external', key);
      } else if (policy.hasAnyEndpoints) {
        // Local policy: pods and the node itself still reach every endpoint (see the iptables layout).
        route(
          nodePort ? 'nodeports-cluster' : 'external-ips-cluster',
          key,
          nodePort,
          'cluster',
          policy.clusterView,
        );
        add(nodePort ? 'local-policy-nodeports' : 'local-policy-external', key);
        if (hasExternal)
          route(nodePort ? 'nodeports' : 'external-ips', key, nodePort, 'local', policy.localView);
      }
      if (!hasExternal) add(missing(nodePort ? 'port' : 'ip'), key);
      if (policy.hasAnyEndpoints) {
        // A node port's destination is one of the node's addresses; the affinity map is keyed by it.
        if (nodePort) sticky.push(...node.addresses.map((ip) => `${ip} . ${proto} . ${port.nodePort}`));
        else sticky.push(key);
      }
    }
  }

  for (const ip of new Set(usedEndpoints(policy).map((ep) => ep.ip))) sink.endpointIP(ip);
  if (port.affinitySeconds !== undefined) {
    sink.affinity(port.affinitySeconds);
    for (const key of new Set(sticky)) add(affinitySet(port.affinitySeconds), key);
  }
}
