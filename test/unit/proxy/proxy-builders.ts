// Services and EndpointSlices as the hub sends them in the desired state (defaulted, allocated,
// status stripped except load balancer ingress), for the proxy's unit and e2e tests.
import type { KubeObject } from '../../../api/types.js';

export type TestObject = KubeObject & { [field: string]: any };

export interface PortSpec {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  nodePort?: number;
}

/** A ClusterIP Service with one unnamed TCP port 80 → 8080 unless told otherwise. */
export function aService(
  name: string,
  clusterIP: string,
  ports: PortSpec[] = [{ port: 80, targetPort: 8080 }],
): TestObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs: [clusterIP],
      selector: { app: name },
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: ports.map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        protocol: p.protocol ?? 'TCP',
        port: p.port,
        targetPort: p.targetPort ?? p.port,
        ...(p.nodePort ? { nodePort: p.nodePort } : {}),
      })),
    },
  };
}

export interface EndpointSpec {
  ip: string;
  node?: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface SlicePortSpec {
  name?: string;
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** An EndpointSlice of `service` (label kubernetes.io/service-name), IPv4. */
export function aSlice(
  service: string,
  endpoints: EndpointSpec[],
  ports: SlicePortSpec[] = [{ port: 8080 }],
  suffix = 'abcde',
): TestObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${service}-${suffix}`,
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': service },
    },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port })),
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: {
        ready: e.ready ?? true,
        serving: e.serving ?? e.ready ?? true,
        terminating: e.terminating ?? false,
      },
      ...(e.node ? { nodeName: e.node } : {}),
    })),
  };
}

export const node = { name: 'gw-1', podCIDR: '10.244.1.0/24', addresses: ['192.168.1.10'] };
