// The `kubernetes` Service in `default`, as every cluster has it: ClusterIP the first address of
// the service CIDR, port 443 (https) to the API port, no selector, and its Endpoints and
// EndpointSlice kept by the hub itself (kube-apiserver's endpoint reconciler does the same with
// its advertise address): the hub's own address, for clients on the hub's network. Gateways do
// not use these endpoints: each agent points the ClusterIP at its own API relay
// (edge-agent/api-relay), since pods on a gateway reach the hub over MQTT only. Reconciled at
// start and then every `intervalMs`, so an edit or deletion by a user is undone.
import { networkInterfaces } from 'node:os';
import { isApiError } from '../../api/errors.js';
import type { Logger } from '../../api/logger.js';
import type { KubeObject } from '../../api/types.js';
import type { Registry } from '../apiserver/registry/registry.js';

export const kubernetesServiceName = 'kubernetes';

export interface KubernetesServiceOptions {
  /** The API server's port (the Service's targetPort). */
  apiPort: number;
  /** The addresses the hub's API is reached on from its network (the Endpoints). */
  addresses: string[];
  log: Logger;
  intervalMs?: number;
}

/** Where clients on the hub's network reach its API: the bind address, or the host's IPv4 addresses. */
export function advertisedAddresses(bind: string): string[] {
  if (bind !== '0.0.0.0' && bind !== '::') return [bind];
  const found: string[] = [];
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) found.push(a.address);
  return found.length > 0 ? found.slice(0, 1) : ['127.0.0.1'];
}

export function kubernetesService(clusterIP: string | undefined, apiPort: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: kubernetesServiceName,
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      ...(clusterIP ? { clusterIP } : {}),
      sessionAffinity: 'None',
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: apiPort }],
    },
  };
}

export function kubernetesEndpoints(addresses: string[], apiPort: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: kubernetesServiceName,
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [
      {
        addresses: addresses.map((ip) => ({ ip })),
        ports: [{ name: 'https', port: apiPort, protocol: 'TCP' }],
      },
    ],
  };
}

export function kubernetesEndpointSlice(addresses: string[], apiPort: number): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: kubernetesServiceName,
      namespace: 'default',
      labels: { 'kubernetes.io/service-name': kubernetesServiceName },
    },
    addressType: 'IPv4',
    endpoints: addresses.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ name: 'https', port: apiPort, protocol: 'TCP' }],
  };
}

/** Creates or corrects the Service, its Endpoints and EndpointSlice; resolves the Service's ClusterIP. */
export async function reconcileKubernetesService(
  registry: Registry,
  options: KubernetesServiceOptions,
): Promise<string | undefined> {
  const services = registry.for({ group: '', resource: 'services' });
  let service = await getOrUndefined(() => services.get('default', kubernetesServiceName));
  if (!service) {
    const first = registry.allocations.ips.firstAddress();
    try {
      service = await services.create('default', kubernetesService(first, options.apiPort));
    } catch (err) {
      // An older cluster gave the first address to another Service: take any.
      options.log.warn(`${first} is not free (${(err as Error).message}); allocating another`);
      service = await services.create('default', kubernetesService(undefined, options.apiPort));
    }
  } else {
    const ports = (service.spec as { ports?: unknown } | undefined)?.ports;
    const want = kubernetesService(undefined, options.apiPort).spec as { ports: unknown };
    if (JSON.stringify(ports) !== JSON.stringify(want.ports)) {
      service = await services.update('default', kubernetesServiceName, {
        ...service,
        spec: { ...(service.spec as object), ports: want.ports },
      });
    }
  }
  await apply(
    registry,
    { group: '', resource: 'endpoints' },
    kubernetesEndpoints(options.addresses, options.apiPort),
    'subsets',
  );
  await apply(
    registry,
    { group: 'discovery.k8s.io', resource: 'endpointslices' },
    kubernetesEndpointSlice(options.addresses, options.apiPort),
    'endpoints',
  );
  return (service.spec as { clusterIP?: string } | undefined)?.clusterIP;
}

async function apply(
  registry: Registry,
  gr: { group: string; resource: string },
  want: KubeObject,
  field: string,
): Promise<void> {
  const storage = registry.for(gr);
  const current = await getOrUndefined(() => storage.get('default', kubernetesServiceName));
  if (!current) {
    await storage.create('default', want);
    return;
  }
  const same = (k: string) => JSON.stringify(current[k]) === JSON.stringify(want[k]);
  if (same(field) && same('ports')) return;
  await storage.update('default', kubernetesServiceName, {
    ...want,
    metadata: { ...want.metadata, resourceVersion: current.metadata.resourceVersion },
  });
}

async function getOrUndefined(read: () => Promise<KubeObject>): Promise<KubeObject | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isApiError(err) && err.code === 404) return undefined;
    throw err;
  }
}

/** Reconciles now and every `intervalMs` (default 30 s) until stopped. */
export function keepKubernetesService(
  registry: Registry,
  options: KubernetesServiceOptions,
): { clusterIP: Promise<string | undefined>; stop(): void } {
  const run = () =>
    reconcileKubernetesService(registry, options).catch((err: Error) => {
      options.log.info(`${err.message}`);
      return undefined;
    });
  const first = run();
  const timer = setInterval(() => void run(), options.intervalMs ?? 30_000);
  timer.unref();
  return { clusterIP: first, stop: () => clearInterval(timer) };
}
