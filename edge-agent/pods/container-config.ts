// CRI sandbox and container configs for a pod, deterministic from the pod spec (plus the
// attempt), so that an agent that adopted a sandbox after a restart can still create
// containers in it: labels identify the pod, annotations carry the spec hash and restart count.
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { type PodDnsSettings, podDnsConfig } from '../dns/pod-dns-config.js';
import type { ContainerConfig, Mount, PortMapping, SandboxConfig } from '../runtime/container-runtime.js';
import { linuxResources } from './container-resources.js';
import { expandVars } from './expand-vars.js';
import {
  appContainersOf,
  type Container,
  initContainersOf,
  podName,
  podNamespace,
  podSpecOf,
  podUid,
} from './pod-spec.js';
import {
  type ContainerKind,
  containerAnnotations,
  containerLabels,
  sandboxAnnotations,
  sandboxLabels,
} from './runtime-labels.js';

export interface SandboxOptions {
  /** <dataDir>/pods/<uid> */
  podDir: string;
  /** cgroupfs subtree for pods; each pod gets <cgroupRoot>/pod<uid>. */
  cgroupRoot?: string | undefined;
  /** The pod's resolv.conf comes from these (kubelet's DNS configurer); unset: the runtime's default. */
  dns?: PodDnsSettings | undefined;
}

export function podLogDirectory(podDir: string): string {
  return join(podDir, 'logs');
}

/** hostPort mappings of every container (CNI's portmap); none on the host network. */
function portMappings(pod: KubeObject): PortMapping[] {
  if (podSpecOf(pod).hostNetwork === true) return [];
  return [...initContainersOf(pod), ...appContainersOf(pod)].flatMap((container) =>
    (container.ports ?? [])
      .filter((port) => (port.hostPort ?? 0) > 0)
      .map((port) => ({
        protocol: port.protocol ?? 'TCP',
        containerPort: port.containerPort,
        hostPort: port.hostPort ?? 0,
        hostIp: port.hostIP,
      })),
  );
}

export function sandboxConfig(pod: KubeObject, attempt: number, options: SandboxOptions): SandboxConfig {
  const spec = podSpecOf(pod);
  return {
    metadata: { name: podName(pod), namespace: podNamespace(pod), uid: podUid(pod), attempt },
    hostname: (spec.hostname ?? podName(pod)).slice(0, 63),
    logDirectory: podLogDirectory(options.podDir),
    hostNetwork: spec.hostNetwork === true,
    portMappings: portMappings(pod),
    labels: sandboxLabels(pod),
    annotations: sandboxAnnotations(pod),
    cgroupParent: options.cgroupRoot ? `${options.cgroupRoot}/pod${podUid(pod)}` : undefined,
    dnsConfig: options.dns ? podDnsConfig(pod, options.dns).config : undefined,
  };
}

export interface ResolvedContainer {
  envs: { key: string; value: string }[];
  mounts: Mount[];
}

export function containerConfig(
  pod: KubeObject,
  container: Container,
  kind: ContainerKind,
  restartCount: number,
  resolved: ResolvedContainer,
): ContainerConfig {
  const env = new Map(resolved.envs.map(({ key, value }) => [key, value]));
  const expand = (value: string) => expandVars(value, (name) => env.get(name));
  return {
    name: container.name,
    attempt: restartCount,
    image: container.image,
    command: (container.command ?? []).map(expand),
    args: (container.args ?? []).map(expand),
    workingDir: container.workingDir,
    envs: resolved.envs,
    mounts: resolved.mounts,
    labels: containerLabels(pod, container),
    annotations: containerAnnotations(pod, container, kind, restartCount),
    logPath: join(container.name, `${restartCount}.log`),
    ports: (container.ports ?? []).map((p) => ({
      containerPort: p.containerPort,
      protocol: p.protocol ?? 'TCP',
    })),
    resources: linuxResources(container),
    stdin: container.stdin === true,
    stdinOnce: container.stdinOnce === true,
    tty: container.tty === true,
  };
}
