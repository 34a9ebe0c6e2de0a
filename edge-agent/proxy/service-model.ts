// Services and EndpointSlices of the desired state → the service ports the proxy programs. Pure.
// Left out, as kube-proxy leaves them out: ExternalName and headless Services (no cluster IP,
// so DNS answers with the pods and there is nothing to proxy), IPv6 addresses (the rules are
// IPv4), load balancer ingress in Proxy mode (the load balancer itself delivers to the pods).
// A frontend two Services claim (the same external IP and port) goes to the first in
// namespace/name order, and the other is reported: the kernel can hold only one.
import { isIPv4 } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import { isRecord } from '../../api/validation/field-readers.js';
import { endpointViews } from './endpoint-views.js';
import type { Protocol, ServicePort } from './service-port.js';
import { indexSlices, isPort, problem, protocols, type SlicePort } from './slice-endpoints.js';

export interface ServiceModel {
  /** Sorted by id and protocol. */
  ports: ServicePort[];
  /** What was skipped and why, one line each, naming the field. */
  problems: string[];
}

/** kube's default for sessionAffinityConfig.clientIP.timeoutSeconds: three hours. */
export const defaultAffinitySeconds = 10800;

/**
 * Where the `kubernetes` Service's traffic goes instead of its endpoints (the hub's own
 * address, which pods on a gateway cannot reach): the agent's API relay (edge-agent/api-relay).
 */
export interface ApiRelayEndpoint {
  ip: string;
  port: number;
}

/** default/kubernetes: the Service every cluster has for its API. */
export const apiServiceName = 'default/kubernetes';

export function buildServiceModel(
  services: readonly KubeObject[],
  endpointSlices: readonly KubeObject[],
  nodeName: string,
  apiRelay?: ApiRelayEndpoint,
): ServiceModel {
  const problems: string[] = [];
  const slices = indexSlices(endpointSlices, nodeName, problems);
  const ports: ServicePort[] = [];
  for (const service of services) {
    const name = serviceName(service);
    for (const port of servicePorts(service, slices.get(name) ?? [], problems)) {
      if (name === apiServiceName && apiRelay) {
        const relay = { ip: apiRelay.ip, port: apiRelay.port, local: true };
        port.clusterEndpoints = [relay];
        port.localEndpoints = [relay];
      }
      ports.push(port);
    }
  }
  // Plain code-unit order (not localeCompare: ten times slower, and locale-dependent).
  ports.sort((a, b) => (a.id === b.id ? compare(a.protocol, b.protocol) : compare(a.id, b.id)));
  dropConflicts(ports, problems);
  return { ports, problems };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function serviceName(service: KubeObject): string {
  return `${service.metadata.namespace ?? 'default'}/${service.metadata.name ?? ''}`;
}

function servicePorts(service: KubeObject, slices: SlicePort[], problems: string[]): ServicePort[] {
  const name = serviceName(service);
  const at = `services[${name}]`;
  const spec = service.spec;
  if (!isRecord(spec)) {
    problems.push(problem(`${at}.spec`, spec, 'must be an object'));
    return [];
  }
  const type = spec.type ?? 'ClusterIP';
  if (type === 'ExternalName') return [];
  const clusterIP = spec.clusterIP;
  if (clusterIP === 'None' || clusterIP === '' || clusterIP === undefined || clusterIP === null) return [];
  if (typeof clusterIP !== 'string' || !isIPv4(clusterIP)) {
    problems.push(problem(`${at}.spec.clusterIP`, clusterIP, 'must be an IPv4 address'));
    return [];
  }
  const externalIPs = ipv4List(spec.externalIPs, `${at}.spec.externalIPs`, problems);
  const loadBalancerIPs = type === 'LoadBalancer' ? ingressIPs(service.status, at, problems) : [];
  const affinitySeconds = affinity(spec, at, problems);
  const withNodePorts = type === 'NodePort' || type === 'LoadBalancer';
  const out: ServicePort[] = [];
  const specPorts = Array.isArray(spec.ports) ? spec.ports : [];
  for (const [i, entry] of (specPorts as unknown[]).entries()) {
    const path = `${at}.spec.ports[${i}]`;
    if (!isRecord(entry)) {
      problems.push(problem(path, entry, 'must be an object'));
      continue;
    }
    const protocol = (entry.protocol ?? 'TCP') as Protocol;
    if (!protocols.includes(protocol)) {
      problems.push(problem(`${path}.protocol`, entry.protocol, 'must be TCP, UDP or SCTP'));
      continue;
    }
    if (!isPort(entry.port)) {
      problems.push(problem(`${path}.port`, entry.port, 'must be 1-65535'));
      continue;
    }
    const portName = typeof entry.name === 'string' ? entry.name : '';
    const views = endpointViews(slices.filter((s) => s.name === portName && s.protocol === protocol));
    const port: ServicePort = {
      id: portName ? `${name}:${portName}` : name,
      protocol,
      clusterIP,
      port: entry.port,
      externalIPs,
      loadBalancerIPs,
      internalLocal: spec.internalTrafficPolicy === 'Local',
      externalLocal: spec.externalTrafficPolicy === 'Local',
      clusterEndpoints: views.cluster,
      localEndpoints: views.local,
    };
    if (withNodePorts && entry.nodePort !== undefined && entry.nodePort !== null && entry.nodePort !== 0) {
      if (isPort(entry.nodePort)) port.nodePort = entry.nodePort;
      else problems.push(problem(`${path}.nodePort`, entry.nodePort, 'must be 1-65535'));
    }
    if (affinitySeconds !== undefined) port.affinitySeconds = affinitySeconds;
    out.push(port);
  }
  return out;
}

function ipv4List(value: unknown, at: string, problems: string[]): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  value.forEach((ip: unknown, i) => {
    if (typeof ip === 'string' && isIPv4(ip)) out.push(ip);
    else if (!(typeof ip === 'string' && ip.includes(':')))
      problems.push(problem(`${at}[${i}]`, ip, 'must be an IPv4 address'));
  });
  return [...new Set(out)];
}

/** status.loadBalancer.ingress IPs that traffic really arrives at (not ipMode Proxy). */
function ingressIPs(status: unknown, at: string, problems: string[]): string[] {
  const ingress = isRecord(status) && isRecord(status.loadBalancer) ? status.loadBalancer.ingress : undefined;
  if (!Array.isArray(ingress)) return [];
  const out: string[] = [];
  for (const [i, entry] of (ingress as unknown[]).entries()) {
    if (!isRecord(entry) || entry.ip === undefined || entry.ipMode === 'Proxy') continue;
    if (typeof entry.ip === 'string' && isIPv4(entry.ip)) out.push(entry.ip);
    else if (!(typeof entry.ip === 'string' && entry.ip.includes(':')))
      problems.push(
        problem(`${at}.status.loadBalancer.ingress[${i}].ip`, entry.ip, 'must be an IPv4 address'),
      );
  }
  return [...new Set(out)];
}

function affinity(spec: Record<string, unknown>, at: string, problems: string[]): number | undefined {
  if (spec.sessionAffinity !== 'ClientIP') return undefined;
  const config = isRecord(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : {};
  const timeout = isRecord(config.clientIP) ? config.clientIP.timeoutSeconds : undefined;
  if (timeout === undefined || timeout === null) return defaultAffinitySeconds;
  if (typeof timeout === 'number' && Number.isInteger(timeout) && timeout >= 1 && timeout <= 86400)
    return timeout;
  problems.push(
    problem(`${at}.spec.sessionAffinityConfig.clientIP.timeoutSeconds`, timeout, 'must be 1-86400'),
  );
  return defaultAffinitySeconds;
}

/** Frontends (cluster IP, external and load balancer IPs, node ports) claimed twice: the first port keeps them. */
function dropConflicts(ports: ServicePort[], problems: string[]): void {
  const owners = new Map<string, string>();
  const claim = (frontend: string, port: ServicePort): boolean => {
    const owner = owners.get(frontend);
    if (owner === undefined) {
      owners.set(frontend, port.id);
      return true;
    }
    if (owner !== port.id) problems.push(`${port.id}: ${frontend} is already used by ${owner}; left out`);
    return owner === port.id;
  };
  const kept = ports.filter((port) => {
    const proto = port.protocol;
    if (!claim(`${port.clusterIP}:${port.port}/${proto}`, port)) return false;
    port.externalIPs = port.externalIPs.filter((ip) => claim(`${ip}:${port.port}/${proto}`, port));
    port.loadBalancerIPs = port.loadBalancerIPs.filter((ip) => claim(`${ip}:${port.port}/${proto}`, port));
    if (port.nodePort !== undefined && !claim(`node port ${port.nodePort}/${proto}`, port))
      delete port.nodePort;
    return true;
  });
  ports.splice(0, ports.length, ...kept);
}
