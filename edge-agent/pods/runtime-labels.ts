// How pods are found again in the runtime: the kubelet's labels and annotations on sandboxes
// and containers (pkg/kubelet/kuberuntime/labels.go). Labels identify (pod uid, name,
// namespace, container name); annotations carry what the agent needs to decide after a
// restart without its memory: the container spec hash, the restart count, the grace period.

import { createHash } from 'node:crypto';
import { canonicalJson } from '../../api/canonical-json.js';
import type { KubeObject } from '../../api/types.js';
import {
  type Container,
  type ContainerKind,
  gracePeriodOf,
  podName,
  podNamespace,
  podSpecOf,
  podUid,
  pullPolicyOf,
} from './pod-spec.js';

export const PodUidLabel = 'io.kubernetes.pod.uid';
export const PodNameLabel = 'io.kubernetes.pod.name';
export const PodNamespaceLabel = 'io.kubernetes.pod.namespace';
export const ContainerNameLabel = 'io.kubernetes.container.name';
export const ContainerHashAnnotation = 'io.kubernetes.container.hash';
export const RestartCountAnnotation = 'io.kubernetes.container.restartCount';
export const GracePeriodAnnotation = 'io.kubernetes.pod.terminationGracePeriod';
export const ContainerKindAnnotation = 'flotilla.io/container-kind';
export const HostNetworkAnnotation = 'flotilla.io/host-network';

export type { ContainerKind } from './pod-spec.js';

export function podIdentityLabels(pod: KubeObject): Record<string, string> {
  return {
    [PodNameLabel]: podName(pod),
    [PodNamespaceLabel]: podNamespace(pod),
    [PodUidLabel]: podUid(pod),
  };
}

export function sandboxLabels(pod: KubeObject): Record<string, string> {
  return { ...(pod.metadata.labels ?? {}), ...podIdentityLabels(pod) };
}

export function sandboxAnnotations(pod: KubeObject): Record<string, string> {
  return {
    ...(pod.metadata.annotations ?? {}),
    [HostNetworkAnnotation]: String(podSpecOf(pod).hostNetwork === true),
  };
}

export function containerLabels(pod: KubeObject, container: Container): Record<string, string> {
  return { ...podIdentityLabels(pod), [ContainerNameLabel]: container.name };
}

export function containerAnnotations(
  pod: KubeObject,
  container: Container,
  kind: ContainerKind,
  restartCount: number,
): Record<string, string> {
  return {
    [ContainerHashAnnotation]: containerHash(container),
    [RestartCountAnnotation]: String(restartCount),
    [GracePeriodAnnotation]: String(gracePeriodOf(pod)),
    [ContainerKindAnnotation]: kind,
  };
}

/** The owning pod's uid, or undefined for sandboxes and containers the agent did not create. */
export function podUidOfLabels(labels: Record<string, string>): string | undefined {
  const uid = labels[PodUidLabel];
  return uid ? uid : undefined;
}

/**
 * What makes a running container stale: the fields that go into its CRI config. Probes are
 * left out (a probe change re-probes, it does not restart), defaults are filled in so that a
 * defaulted and an undefaulted copy of the same spec hash alike.
 */
export function containerHash(container: Container): string {
  const relevant = {
    name: container.name,
    image: container.image,
    imagePullPolicy: pullPolicyOf(container),
    command: container.command ?? [],
    args: container.args ?? [],
    workingDir: container.workingDir ?? '',
    env: container.env ?? [],
    envFrom: container.envFrom ?? [],
    ports: (container.ports ?? []).map((port) => ({ protocol: 'TCP', ...port })),
    resources: { limits: container.resources?.limits ?? {}, requests: container.resources?.requests ?? {} },
    volumeMounts: container.volumeMounts ?? [],
    stdin: container.stdin === true,
    tty: container.tty === true,
  };
  return createHash('sha256').update(canonicalJson(relevant)).digest('hex').slice(0, 16);
}
