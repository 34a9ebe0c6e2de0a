// The service proxy's model: one entry per Service port (kube-proxy's unit of work), already
// reduced to what the rules need. Both rule builders (iptables and nftables) read only this, so
// the Kubernetes object shapes stay in service-model.ts.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ProxyEndpoint {
  ip: string;
  /** The target port, resolved by the EndpointSlice (named target ports included). */
  port: number;
  /** On this node (EndpointSlice endpoints[].nodeName): candidates for Local traffic policies. */
  local: boolean;
}

export interface ServicePort {
  /** `namespace/name:port-name`, or `namespace/name` for an unnamed port (kube-proxy's ServicePortName). */
  id: string;
  protocol: Protocol;
  clusterIP: string;
  port: number;
  nodePort?: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip, kept by the hub in the desired state. */
  loadBalancerIPs: string[];
  /** ClientIP session affinity: how long a client sticks to its endpoint, in seconds. */
  affinitySeconds?: number;
  /** internalTrafficPolicy: Local — cluster IP traffic goes to this node's endpoints only. */
  internalLocal: boolean;
  /** externalTrafficPolicy: Local — external traffic goes to this node's endpoints only. */
  externalLocal: boolean;
  /** Endpoints for the Cluster policy: the ready ones, else the serving terminating ones. */
  clusterEndpoints: ProxyEndpoint[];
  /** This node's endpoints for the Local policies, with the same fallback. */
  localEndpoints: ProxyEndpoint[];
}

/** What the rules need to know about the node they run on. */
export interface ProxyNode {
  name: string;
  /** The node's pod network: traffic from it is "pod traffic" (kube-proxy's local detector). */
  podCIDR?: string;
  /** The node's own IPv4 addresses (NodePort destinations in the nftables affinity sets). */
  addresses: string[];
}

/** The key one service port is tracked under: ids are unique per protocol. */
export function portKey(port: Pick<ServicePort, 'id' | 'protocol'>): string {
  return `${port.id}/${port.protocol}`;
}

/**
 * How a service port's traffic is split between its endpoints, as kube-proxy decides it
 * (pkg/proxy CategorizeEndpoints and the chain choices of its iptables proxier).
 */
export interface PortPolicy {
  /** NodePort, external IPs or load balancer IPs: traffic from outside the cluster. */
  external: boolean;
  /** Any usable endpoint anywhere: without one, traffic is rejected. */
  hasAnyEndpoints: boolean;
  /** Endpoints the cluster IP sends to (local ones with internalTrafficPolicy Local). */
  internalEndpoints: ProxyEndpoint[];
  /** Endpoints external destinations send to (local ones with externalTrafficPolicy Local). */
  externalEndpoints: ProxyEndpoint[];
  /** Endpoints of the Cluster-policy view, when something uses it (pods reaching an external IP use it too). */
  clusterView: ProxyEndpoint[];
  /** Endpoints of the Local-policy view, when something uses it. */
  localView: ProxyEndpoint[];
}

export function portPolicy(port: ServicePort): PortPolicy {
  const external =
    port.nodePort !== undefined || port.externalIPs.length > 0 || port.loadBalancerIPs.length > 0;
  // Cluster-wide endpoints are needed for Cluster policies, and for any external traffic: pods
  // and the node itself reaching an external destination "short-circuit" to all endpoints.
  const usesCluster = !port.internalLocal || external;
  const usesLocal = port.internalLocal || (port.externalLocal && external);
  const clusterView = usesCluster ? port.clusterEndpoints : [];
  const localView = usesLocal ? port.localEndpoints : [];
  return {
    external,
    hasAnyEndpoints: port.clusterEndpoints.length > 0,
    internalEndpoints: port.internalLocal ? localView : clusterView,
    externalEndpoints: external ? (port.externalLocal ? localView : clusterView) : [],
    clusterView,
    localView,
  };
}

/** Every endpoint either view uses, once each. */
export function usedEndpoints(policy: PortPolicy): ProxyEndpoint[] {
  if (policy.localView.length === 0) return policy.clusterView;
  if (policy.clusterView.length === 0) return policy.localView;
  const seen = new Map<string, ProxyEndpoint>();
  for (const ep of [...policy.clusterView, ...policy.localView]) seen.set(`${ep.ip}:${ep.port}`, ep);
  return [...seen.values()];
}

/** Whether two ports make the same rules: compared field by field, nothing allocated (10,000 per sync). */
export function samePort(a: ServicePort, b: ServicePort): boolean {
  return (
    a.id === b.id &&
    a.protocol === b.protocol &&
    a.clusterIP === b.clusterIP &&
    a.port === b.port &&
    a.nodePort === b.nodePort &&
    a.affinitySeconds === b.affinitySeconds &&
    a.internalLocal === b.internalLocal &&
    a.externalLocal === b.externalLocal &&
    sameStrings(a.externalIPs, b.externalIPs) &&
    sameStrings(a.loadBalancerIPs, b.loadBalancerIPs) &&
    sameEndpoints(a.clusterEndpoints, b.clusterEndpoints) &&
    sameEndpoints(a.localEndpoints, b.localEndpoints)
  );
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function sameEndpoints(a: readonly ProxyEndpoint[], b: readonly ProxyEndpoint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (x.ip !== y.ip || x.port !== y.port || x.local !== y.local) return false;
  }
  return true;
}
