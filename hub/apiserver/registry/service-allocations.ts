// ClusterIPs and NodePorts for Services, allocated when a Service is created or changes type,
// released when it is deleted. State is rebuilt from the stored Services at start-up, so an
// address is never handed out twice, across restarts too.
import { type FieldError, invalidValue } from '../../../api/errors.js';
import type { Logger } from '../../../api/logger.js';
import type { KubeObject } from '../../../api/types.js';
import type { IpAllocator } from './ip-allocator.js';
import type { PortAllocator } from './port-allocator.js';

interface ServicePort {
  port?: number;
  nodePort?: number;
  [key: string]: unknown;
}

interface ServiceSpec {
  type?: string;
  allocateLoadBalancerNodePorts?: boolean;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  [key: string]: unknown;
}

/** What an allocation took; undo it if the write that needed it fails. */
export interface Allocation {
  errors: FieldError[];
  rollback(): void;
}

function specOf(svc: KubeObject): ServiceSpec {
  return typeof svc.spec === 'object' && svc.spec !== null ? (svc.spec as ServiceSpec) : {};
}

function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== 'ExternalName' && spec.clusterIP !== 'None';
}

function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

function heldIPs(spec: ServiceSpec): string[] {
  if (!needsClusterIP(spec)) return [];
  return [...new Set([spec.clusterIP, ...(spec.clusterIPs ?? [])].filter((ip): ip is string => !!ip))];
}

function heldPorts(spec: ServiceSpec): number[] {
  if (!needsNodePorts(spec)) return [];
  return (spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => typeof p === 'number' && p > 0);
}

export class ServiceAllocations {
  constructor(
    readonly ips: IpAllocator,
    readonly ports: PortAllocator,
  ) {}

  restore(services: KubeObject[], log: Logger): void {
    for (const svc of services) {
      // A malformed Service already stored must not keep the hub from starting.
      try {
        const spec = specOf(svc);
        for (const ip of heldIPs(spec)) this.ips.reserve(ip);
        for (const port of heldPorts(spec)) this.ports.reserve(port);
      } catch (err) {
        const { namespace, name } = svc.metadata;
        log.warn(`service allocations: ${namespace}/${name} skipped: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Fills in spec.clusterIP(s) and node ports of `svc`, keeping what `old` (on update) already
   * holds. Values a client asks for explicitly must be free and in range.
   */
  allocate(svc: KubeObject, old?: KubeObject): Allocation {
    const spec = specOf(svc);
    const oldSpec = old ? specOf(old) : undefined;
    const errors: FieldError[] = [];
    const takenIPs: string[] = [];
    const takenPorts: number[] = [];

    if (needsClusterIP(spec)) {
      const keep = oldSpec ? heldIPs(oldSpec)[0] : undefined;
      const wanted = spec.clusterIP || spec.clusterIPs?.[0] || keep;
      if (wanted && wanted === keep) {
        spec.clusterIP = wanted;
      } else if (wanted) {
        if (this.ips.reserve(wanted)) {
          takenIPs.push(wanted);
          spec.clusterIP = wanted;
        } else {
          const why = this.ips.contains(wanted)
            ? `failed to allocate IP ${wanted}: provided IP is already allocated`
            : `failed to allocate IP ${wanted}: the provided IP (${wanted}) is not in the valid range. The range of valid IPs is ${this.ips.cidr}`;
          errors.push(invalidValue('spec.clusterIPs', [wanted], why));
        }
      } else {
        const ip = this.ips.allocate();
        if (ip) {
          takenIPs.push(ip);
          spec.clusterIP = ip;
        } else {
          errors.push(invalidValue('spec.clusterIPs', [], `range is full: ${this.ips.cidr}`));
        }
      }
      if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    } else if (spec.clusterIP === 'None') {
      spec.clusterIPs = ['None'];
    }

    if (needsNodePorts(spec)) {
      const kept = new Set(oldSpec ? heldPorts(oldSpec) : []);
      const oldByPort = new Map((oldSpec?.ports ?? []).map((p) => [p.port, p.nodePort]));
      (spec.ports ?? []).forEach((p, i) => {
        const wanted = p.nodePort || (oldSpec && needsNodePorts(oldSpec) ? oldByPort.get(p.port) : undefined);
        if (wanted && kept.has(wanted)) {
          p.nodePort = wanted;
        } else if (wanted) {
          if (this.ports.reserve(wanted)) {
            takenPorts.push(wanted);
            p.nodePort = wanted;
          } else {
            const why = this.ports.contains(wanted)
              ? 'provided port is already allocated'
              : `provided port is not in the valid range. The range of valid ports is ${this.ports.min}-${this.ports.max}`;
            errors.push(invalidValue(`spec.ports[${i}].nodePort`, wanted, why));
          }
        } else if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === false) {
          // The load balancer reaches the Service without node ports: only those asked for are held.
          delete p.nodePort;
        } else {
          const port = this.ports.allocate();
          if (port) {
            takenPorts.push(port);
            p.nodePort = port;
          } else {
            errors.push(invalidValue(`spec.ports[${i}].nodePort`, 0, 'range is full'));
          }
        }
      });
    } else {
      for (const p of spec.ports ?? []) delete p.nodePort;
    }

    const rollback = () => {
      for (const ip of takenIPs) this.ips.release(ip);
      for (const port of takenPorts) this.ports.release(port);
    };
    if (errors.length > 0) rollback();
    return { errors, rollback };
  }

  /** After an update is stored: release what the old spec held and the new one does not. */
  releaseUnused(next: KubeObject, old: KubeObject): void {
    const nextSpec = specOf(next);
    const oldSpec = specOf(old);
    const ips = new Set(heldIPs(nextSpec));
    const ports = new Set(heldPorts(nextSpec));
    for (const ip of heldIPs(oldSpec)) if (!ips.has(ip)) this.ips.release(ip);
    for (const port of heldPorts(oldSpec)) if (!ports.has(port)) this.ports.release(port);
  }

  release(svc: KubeObject): void {
    const spec = specOf(svc);
    for (const ip of heldIPs(spec)) this.ips.release(ip);
    for (const port of heldPorts(spec)) this.ports.release(port);
  }
}
