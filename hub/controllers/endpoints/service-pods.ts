// Which pods back a Service, and on which ports (kube's endpoints utilities): a Service with a
// selector selects the pods of its namespace whose labels match; each service port targets a
// number, or a container port name looked up per pod (so pods may differ).
import type { KubeObject } from '../../../api/types.js';
import type { Pod } from '../objects/kinds.js';
import { isPodTerminal } from '../objects/pod-conditions.js';

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

export type Service = KubeObject & {
  spec?: {
    selector?: Record<string, string>;
    type?: string;
    clusterIP?: string;
    ports?: ServicePort[];
    publishNotReadyAddresses?: boolean;
  };
};

/** The port as it appears in Endpoints and EndpointSlices. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** Endpoints come from a selector; ExternalName and selector-less Services are left to their owners. */
export function hasManagedEndpoints(service: Service): boolean {
  const selector = service.spec?.selector;
  return service.spec?.type !== 'ExternalName' && selector !== undefined && Object.keys(selector).length > 0;
}

export function selectsPod(service: Service, pod: KubeObject): boolean {
  if (!hasManagedEndpoints(service) || pod.metadata.namespace !== service.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(service.spec?.selector ?? {}).every(([key, value]) => labels[key] === value);
}

export function isHeadless(service: Service): boolean {
  return service.spec?.clusterIP === 'None';
}

/**
 * Whether the pod is an endpoint at all (ShouldPodBeInEndpoints): it has an IP, has not
 * finished, and is not being deleted unless terminating endpoints are wanted.
 */
export function podHasEndpoint(pod: Pod, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return !isPodTerminal(pod);
}

/** The pod's port for a service port (podutil.FindPort); undefined when a named port is missing. */
export function resolveTargetPort(servicePort: ServicePort, pod: Pod): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  // Null-safe: a malformed pod already stored must not stop its Service's other endpoints.
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container?.ports ?? []) {
      if (port?.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** The endpoint ports of one pod, in service port order; ports it cannot serve are left out. */
export function podEndpointPorts(service: Service, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = resolveTargetPort(servicePort, pod);
    if (port === undefined) continue;
    ports.push({
      ...(servicePort.name ? { name: servicePort.name } : {}),
      port,
      protocol: servicePort.protocol ?? 'TCP',
      ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}),
    });
  }
  return ports;
}

export const podTargetRef = (pod: Pod) => ({
  kind: 'Pod',
  namespace: pod.metadata.namespace,
  name: pod.metadata.name,
  uid: pod.metadata.uid,
});

/** A pod's DNS hostname under a headless Service: only when its subdomain names the Service. */
export function podHostname(service: Service, pod: Pod): string | undefined {
  return pod.spec?.hostname && pod.spec.subdomain === service.metadata.name ? pod.spec.hostname : undefined;
}
