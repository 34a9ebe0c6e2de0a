// discovery.k8s.io/v1 EndpointSlices for a Service, pure: one endpoint per selected pod with
// an IPv4 address, with ready/serving/terminating conditions; endpoints that share ports share
// slices of at most maxEndpointsPerSlice (kube's default 100); existing slices are reused
// before new ones are made (a simpler form of kube's slice reconciler).
import { isIP } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import type { Node, Pod } from '../objects/kinds.js';
import { isPodReady } from '../objects/pod-conditions.js';
import { labels } from '../objects/well-known.js';
import {
  podEndpointPorts,
  podHasEndpoint,
  podHostname,
  podTargetRef,
  type Service,
  selectsPod,
} from './service-pods.js';

export const defaultMaxEndpointsPerSlice = 100;

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef: ReturnType<typeof podTargetRef>;
}

export interface SliceContent {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export function desiredSlices(
  service: Service,
  pods: Pod[],
  nodes: Map<string, Node>,
  max: number,
): SliceContent[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, SliceContent>();
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!selectsPod(service, pod) || !podHasEndpoint(pod, true) || isIP(ip ?? '') !== 4) continue;
    const ports: SlicePort[] = podEndpointPorts(service, pod).map((p) => ({ ...p, name: p.name ?? '' }));
    const serving = publishNotReady || isPodReady(pod);
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    const hostname = podHostname(service, pod);
    const nodeName = pod.spec?.nodeName;
    const zone = nodeName ? nodes.get(nodeName)?.metadata.labels?.[labels.zone] : undefined;
    const endpoint: SliceEndpoint = {
      addresses: [ip!],
      // A terminating pod is never "ready", unless the Service publishes unready endpoints.
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      ...(hostname ? { hostname } : {}),
      ...(nodeName ? { nodeName } : {}),
      ...(zone ? { zone } : {}),
      targetRef: podTargetRef(pod),
    };
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, endpoints: [] };
    groups.set(key, group);
    group.endpoints.push(endpoint);
  }
  const slices: SliceContent[] = [];
  for (const [, group] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const endpoints = group.endpoints.sort((a, b) =>
      a.addresses[0]!.localeCompare(b.addresses[0]!, undefined, { numeric: true }),
    );
    for (let i = 0; i < endpoints.length; i += max) {
      slices.push({ ports: group.ports, endpoints: endpoints.slice(i, i + max) });
    }
  }
  // A Service without endpoints still gets one empty slice, so consumers see "none" rather than "unknown".
  return slices.length > 0 ? slices : [{ ports: [], endpoints: [] }];
}

export interface SlicePlan {
  create: SliceContent[];
  update: { slice: KubeObject; content: SliceContent }[];
  delete: string[];
}

const contentOf = (slice: KubeObject): SliceContent => ({
  ports: (slice.ports as SlicePort[] | undefined) ?? [],
  endpoints: (slice.endpoints as SliceEndpoint[] | undefined) ?? [],
});

/** Keeps slices that already hold the right content, rewrites others, creates or deletes the rest. */
export function planSlices(desired: SliceContent[], existing: KubeObject[]): SlicePlan {
  const unused = [...existing];
  const take = (match: (slice: KubeObject) => boolean) => {
    const index = unused.findIndex(match);
    return index < 0 ? undefined : unused.splice(index, 1)[0];
  };
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const pending: SliceContent[] = [];
  for (const content of desired) {
    if (!take((s) => isDeepStrictEqual(contentOf(s), content))) pending.push(content);
  }
  for (const content of pending) {
    const slice = take((s) => isDeepStrictEqual(contentOf(s).ports, content.ports)) ?? unused.shift();
    if (slice) plan.update.push({ slice, content });
    else plan.create.push(content);
  }
  plan.delete = unused.map((s) => s.metadata.name!);
  return plan;
}
