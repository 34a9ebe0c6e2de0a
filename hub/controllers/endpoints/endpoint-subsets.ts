// core/v1 Endpoints for a Service, pure (kube's endpoints controller): every selected pod
// with an IP becomes an address, ready ones under `addresses`, the rest under
// `notReadyAddresses` (all under `addresses` with publishNotReadyAddresses); addresses that
// share the same ports share a subset (kube's RepackSubsets).
import type { Pod } from '../objects/kinds.js';
import { isPodReady } from '../objects/pod-conditions.js';
import {
  type EndpointPort,
  isHeadless,
  podEndpointPorts,
  podHasEndpoint,
  podHostname,
  podTargetRef,
  type Service,
  selectsPod,
} from './service-pods.js';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: ReturnType<typeof podTargetRef>;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export function endpointSubsets(service: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const groups = new Map<
    string,
    { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }
  >();
  for (const pod of pods) {
    if (!selectsPod(service, pod) || !podHasEndpoint(pod, publishNotReady)) continue;
    const ports = podEndpointPorts(service, pod);
    // A pod that serves none of the ports is no endpoint, except for a headless portless Service.
    if (ports.length === 0 && ((service.spec?.ports ?? []).length > 0 || !isHeadless(service))) continue;
    const hostname = podHostname(service, pod);
    const address: EndpointAddress = {
      ip: pod.status!.podIP!,
      ...(hostname ? { hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: podTargetRef(pod),
    };
    const key = JSON.stringify(sortedPorts(ports));
    const group = groups.get(key) ?? { ports: sortedPorts(ports), ready: [], notReady: [] };
    groups.set(key, group);
    (publishNotReady || isPodReady(pod) ? group.ready : group.notReady).push(address);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, { ports, ready, notReady }]) => ({
      ...(ready.length > 0 ? { addresses: ready.sort(byIp) } : {}),
      ...(notReady.length > 0 ? { notReadyAddresses: notReady.sort(byIp) } : {}),
      ...(ports.length > 0 ? { ports } : {}),
    }));
}

function sortedPorts(ports: EndpointPort[]): EndpointPort[] {
  return [...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
}

const byIp = (a: EndpointAddress, b: EndpointAddress) =>
  a.ip.localeCompare(b.ip, undefined, { numeric: true }) ||
  (a.targetRef.name ?? '').localeCompare(b.targetRef.name ?? '');
