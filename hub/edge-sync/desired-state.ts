// What is one gateway's own to run its pods (shared state: shared-publisher.ts), computed from the cluster's objects (pure; the
// publisher feeds it from informers). Objects are trimmed to what an agent uses: no status, no
// resourceVersion, no managedFields, no last-applied annotation — so a pod status written by
// the agent itself, or a kubectl apply that changes nothing, never makes a new revision.
import { parseIPv4 } from '../../api/ipv4.js';
import { type DesiredState, podCidrProblem } from '../../api/mqtt/payloads/desired-state.js';
import type { PodRoute } from '../../api/mqtt/payloads/pod-routes.js';
import type { KubeObject } from '../../api/types.js';
import { agentFormOf, trimForAgent } from './agent-forms.js';

export type DesiredContent = Omit<DesiredState, 'revision' | 'protocol'>;

export interface ObjectLookup {
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
}

type Json = Record<string, any>;

/** Names of the config maps and secrets a pod spec references (env, envFrom, volumes, pull secrets). */
export function podReferences(pod: KubeObject): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const add = (set: Set<string>, name: unknown) => {
    if (typeof name === 'string' && name) set.add(name);
  };
  const spec = (pod.spec ?? {}) as Json;
  const containers: Json[] = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ];
  // Null-safe throughout: a malformed pod already stored must not stop the references of others.
  for (const c of containers) {
    for (const env of c?.env ?? []) {
      add(configMaps, env?.valueFrom?.configMapKeyRef?.name);
      add(secrets, env?.valueFrom?.secretKeyRef?.name);
    }
    for (const from of c?.envFrom ?? []) {
      add(configMaps, from?.configMapRef?.name);
      add(secrets, from?.secretRef?.name);
    }
  }
  for (const volume of spec.volumes ?? []) {
    add(configMaps, volume?.configMap?.name);
    add(secrets, volume?.secret?.secretName);
    for (const source of volume?.projected?.sources ?? []) {
      add(configMaps, source?.configMap?.name);
      add(secrets, source?.secret?.name);
    }
  }
  for (const pull of spec.imagePullSecrets ?? []) add(secrets, pull?.name);
  return { configMaps, secrets };
}

function byKey(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export type PodNetwork = Pick<DesiredState, 'podCIDR' | 'podCIDRs'>;

/**
 * The Node's pod CIDRs (assigned by node IPAM) as the agent gets them: podCIDR only when the
 * agent can build a bridge from it (IPv4, /8 to /30), else the first such entry of podCIDRs.
 */
export function podNetworkOf(nodeObj: KubeObject | undefined): PodNetwork {
  const spec = (nodeObj?.spec ?? {}) as { podCIDR?: unknown; podCIDRs?: unknown };
  const listed = Array.isArray(spec.podCIDRs)
    ? spec.podCIDRs.filter((c): c is string => typeof c === 'string' && c !== '')
    : [];
  const candidates = typeof spec.podCIDR === 'string' && spec.podCIDR ? [spec.podCIDR, ...listed] : listed;
  const podCIDR = candidates.find((cidr) => podCidrProblem(cidr) === undefined);
  return {
    ...(podCIDR ? { podCIDR } : {}),
    ...(listed.length > 0 ? { podCIDRs: listed.slice(0, 2) } : {}),
  };
}

/** A Node's first IPv4 InternalIP, the next hop for its pod network (host-gw). */
export function internalIPv4Of(nodeObj: KubeObject): string | undefined {
  const addresses = (nodeObj.status as { addresses?: unknown } | undefined)?.addresses;
  if (!Array.isArray(addresses)) return undefined;
  for (const entry of addresses as Array<{ type?: unknown; address?: unknown }>) {
    if (entry?.type !== 'InternalIP' || typeof entry.address !== 'string') continue;
    if (parseIPv4(entry.address) !== undefined) return entry.address;
  }
  return undefined;
}

/** A pod route as the gateways of the node's segment get it; undefined when it lacks either part. */
export function podRouteOf(nodeObj: KubeObject): PodRoute | undefined {
  const name = nodeObj.metadata.name ?? '';
  const { podCIDR } = podNetworkOf(nodeObj);
  const via = internalIPv4Of(nodeObj);
  return name && podCIDR && via ? { node: name, podCIDR, via } : undefined;
}

/** Services keep their load balancer ingress IPs (the proxy needs them); all other status goes. */
export function trimService(service: KubeObject): KubeObject {
  const trimmed = trimForAgent(service);
  const ingress = (service.status as { loadBalancer?: { ingress?: unknown } } | undefined)?.loadBalancer
    ?.ingress;
  return Array.isArray(ingress) && ingress.length > 0
    ? { ...trimmed, status: { loadBalancer: { ingress } } }
    : trimmed;
}

/** The desired state of `node`, in a stable order so equal content serialises identically. */
export function desiredContentFor(
  node: string,
  podsOnNode: KubeObject[],
  lookup: ObjectLookup,
  network: PodNetwork = {},
  segment: string | undefined = undefined,
  failed: (pod: KubeObject, error: unknown) => void = (_pod, error) => {
    throw error;
  },
): DesiredContent {
  const configMaps = new Map<string, KubeObject>();
  const secrets = new Map<string, KubeObject>();
  const pods: KubeObject[] = [];
  // One pod that cannot be read (a malformed object already stored) is left out alone; the
  // gateway still gets the rest of its desired state.
  for (const pod of podsOnNode) {
    try {
      const namespace = pod.metadata.namespace ?? 'default';
      const refs = podReferences(pod);
      const trimmedPod = agentFormOf(pod);
      for (const name of refs.configMaps) {
        const found = lookup.configMap(namespace, name);
        if (found) configMaps.set(`${namespace}/${name}`, found);
      }
      for (const name of refs.secrets) {
        const found = lookup.secret(namespace, name);
        if (found) secrets.set(`${namespace}/${name}`, found);
      }
      pods.push(trimmedPod);
    } catch (error) {
      failed(pod, error);
    }
  }
  const trimmed = (list: Iterable<KubeObject>) => [...list].map(agentFormOf).sort(byKey);
  return {
    node,
    pods: pods.sort(byKey),
    configMaps: trimmed(configMaps.values()),
    secrets: trimmed(secrets.values()),
    ...network,
    ...(segment ? { segment } : {}),
  };
}
