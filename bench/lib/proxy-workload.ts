// Synthetic Services for the service proxy benchmark: n ClusterIP Services with 5 ready
// endpoints each, every endpoint on its own address (so the hairpin set holds 5n addresses), as
// the hub sends them in a gateway's desired state.
import type { KubeObject } from '../../api/types.js';
import type { ProxyInput } from '../../edge-agent/proxy/service-proxy.js';

export const endpointsPerService = 5;

function address(base: number, index: number): string {
  return `${base}.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

function service(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace: 'bench', uid: `uid-${i}` },
    spec: {
      type: 'ClusterIP',
      clusterIP: address(10, 0x600000 + i),
      ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }],
      sessionAffinity: 'None',
    },
  };
}

function slice(i: number, endpointIPs: string[]): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `svc-${i}-x`,
      namespace: 'bench',
      labels: { 'kubernetes.io/service-name': `svc-${i}` },
    },
    addressType: 'IPv4',
    ports: [{ name: '', protocol: 'TCP', port: 8080 }],
    endpoints: endpointIPs.map((ip) => ({
      addresses: [ip],
      conditions: { ready: true },
      nodeName: 'gw-bench',
    })),
  };
}

export function workload(n: number): ProxyInput {
  const services: KubeObject[] = [];
  const endpointSlices: KubeObject[] = [];
  for (let i = 0; i < n; i++) {
    services.push(service(i));
    const ips = Array.from({ length: endpointsPerService }, (_, e) =>
      address(10, 0x800000 + i * endpointsPerService + e),
    );
    endpointSlices.push(slice(i, ips));
  }
  return { services, endpointSlices, podCIDR: '10.128.0.0/16' };
}

/** The same state with one Service's last endpoint moved to a new address (update number `run`). */
export function withOneEndpointMoved(base: ProxyInput, run: number): ProxyInput {
  const n = base.services.length;
  const i = (run * 7919) % n;
  const endpointSlices = [...base.endpointSlices];
  const ips = Array.from({ length: endpointsPerService - 1 }, (_, e) =>
    address(10, 0x800000 + i * endpointsPerService + e),
  );
  endpointSlices[i] = slice(i, [...ips, address(10, 0xc00000 + run)]);
  return { ...base, endpointSlices };
}
