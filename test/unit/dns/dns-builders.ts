// Services and EndpointSlices as the hub sends them in the desired state, for the service DNS
// tests: built on the shared builders, with the fields the DNS reads set explicitly.
import type { KubeObject } from '../../../api/types.js';
import { anEndpointSlice, aService, type TestObject } from '../../helpers/builders.js';

export interface PortSpec {
  name?: string;
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export function aClusterIPService(
  name: string,
  clusterIP: string,
  ports: PortSpec[] = [{ name: 'http', port: 80 }],
  namespace = 'default',
): TestObject {
  const service = aService(name);
  service.metadata.namespace = namespace;
  service.spec = { ...service.spec, type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports };
  return service;
}

export function aHeadlessService(name: string, ports: PortSpec[] = [], namespace = 'default'): TestObject {
  const service = aService(name);
  service.metadata.namespace = namespace;
  service.spec = { ...service.spec, type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports };
  return service;
}

export function anExternalNameService(name: string, externalName: string, namespace = 'default'): TestObject {
  const service = aService(name);
  service.metadata.namespace = namespace;
  service.spec = { type: 'ExternalName', externalName };
  return service;
}

export interface EndpointSpec {
  ip: string;
  ready?: boolean;
  hostname?: string;
}

export function aSliceFor(
  service: KubeObject,
  endpoints: EndpointSpec[],
  ports: PortSpec[] = [],
  suffix = 'abc12',
): TestObject {
  const slice = anEndpointSlice(`${service.metadata.name}-${suffix}`);
  slice.metadata.namespace = service.metadata.namespace;
  slice.metadata.labels = { 'kubernetes.io/service-name': service.metadata.name! };
  slice.endpoints = endpoints.map((e) => ({
    addresses: [e.ip],
    conditions: { ready: e.ready ?? true },
    ...(e.hostname ? { hostname: e.hostname } : {}),
  }));
  slice.ports = ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }));
  return slice;
}
