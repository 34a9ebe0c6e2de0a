// What the scheduler derives from a pod once: its key, requests, host ports, images and
// compiled affinity terms. Derived per object and memoised (store objects are frozen, so an
// object never changes under its PodInfo); a new resourceVersion is a new object.
import { type AffinityTerm, type CompiledPodAffinity, compileAffinity } from './affinity-terms.js';
import { type PodRequests, podRequests } from './resources.js';
import type { PodObject, Toleration } from './types.js';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface PodInfo {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly pod: PodObject;
  readonly labels: Record<string, string>;
  readonly nodeName: string | undefined;
  readonly terminating: boolean;
  readonly requests: PodRequests;
  readonly hostPorts: readonly HostPort[];
  readonly tolerations: readonly Toleration[];
  /** Image references as nodes report them (`name:tag`, `:latest` added when untagged). */
  readonly images: readonly string[];
  readonly affinity: CompiledPodAffinity;
  readonly antiAffinity: CompiledPodAffinity;
  /** Any inter-pod term at all, required or preferred (nodes keep a count of such pods). */
  readonly hasAffinityTerms: boolean;
}

const cache = new WeakMap<PodObject, PodInfo>();

export function podKey(pod: PodObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** kube's normalizedImageName: a reference without a tag or digest means `:latest`. */
export function normalizeImage(image: string): string {
  if (image.includes('@')) return image;
  return image.lastIndexOf(':') <= image.lastIndexOf('/') ? `${image}:latest` : image;
}

function hostPortsOf(pod: PodObject): HostPort[] {
  const ports: HostPort[] = [];
  const spec = pod.spec ?? {};
  // Sidecars keep running, so their host ports stay taken like regular containers'.
  const sidecars = (spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...(spec.containers ?? []), ...sidecars]) {
    for (const p of container.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      ports.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return ports;
}

function imagesOf(pod: PodObject): string[] {
  const spec = pod.spec ?? {};
  const images: string[] = [];
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if (c.image) images.push(normalizeImage(c.image));
  }
  return images;
}

export function podInfo(pod: PodObject): PodInfo {
  const known = cache.get(pod);
  if (known) return known;
  const spec = pod.spec ?? {};
  const owner = { namespace: pod.metadata.namespace ?? '', labels: pod.metadata.labels ?? {} };
  const affinity = compileAffinity(spec.affinity?.podAffinity, owner);
  const antiAffinity = compileAffinity(spec.affinity?.podAntiAffinity, owner);
  const terms: AffinityTerm[] = [...affinity.required, ...affinity.preferred];
  terms.push(...antiAffinity.required, ...antiAffinity.preferred);
  const info: PodInfo = {
    key: podKey(pod),
    namespace: owner.namespace,
    name: pod.metadata.name ?? '',
    pod,
    labels: owner.labels,
    nodeName: spec.nodeName || undefined,
    terminating: pod.metadata.deletionTimestamp !== undefined,
    requests: podRequests(spec),
    hostPorts: hostPortsOf(pod),
    tolerations: spec.tolerations ?? [],
    images: imagesOf(pod),
    affinity,
    antiAffinity,
    hasAffinityTerms: terms.length > 0,
  };
  cache.set(pod, info);
  return info;
}

/** The same pod as if bound to `nodeName` (the scheduler's assumed copy). */
export function assumedOn(info: PodInfo, nodeName: string): PodInfo {
  const pod = { ...info.pod, spec: { ...info.pod.spec, nodeName } } as PodObject;
  const assumed = { ...info, pod, nodeName };
  cache.set(pod, assumed);
  return assumed;
}
