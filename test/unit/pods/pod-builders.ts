// Builders for pod sync tests: pods as the hub sends them in the desired state, config maps
// and secrets, and runtime objects (sandboxes, containers) labelled like the agent labels them.
import { type AgentDesired, protocolVersion } from '../../../api/mqtt/payloads/desired-state.js';
import type { KubeObject } from '../../../api/types.js';
import type { Container, PodSpec } from '../../../edge-agent/pods/pod-spec.js';
import {
  ContainerHashAnnotation,
  ContainerKindAnnotation,
  containerHash,
  HostNetworkAnnotation,
} from '../../../edge-agent/pods/runtime-labels.js';
import type { ContainerStatus, SandboxStatus } from '../../../edge-agent/runtime/container-runtime.js';

export const BUSYBOX = 'docker.io/flotilla/busybox:1';

export type TestPod = KubeObject & { spec: PodSpec };

export function aContainer(name = 'app', extra: Partial<Container> = {}): Container {
  return { name, image: BUSYBOX, command: ['sh', '-c', 'sleep 3600'], ...extra };
}

export function aPod(name = 'web', spec: Partial<PodSpec> = {}): TestPod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: { app: name },
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: { nodeName: 'gw1', containers: [aContainer()], ...spec },
  };
}

export function deleting(pod: TestPod, graceSeconds = 30): TestPod {
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      deletionTimestamp: '2026-01-01T00:10:00Z',
      deletionGracePeriodSeconds: graceSeconds,
    },
  };
}

export function aConfigMap(name: string, data: Record<string, string>, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

/** `data` in plain text; stored base64-encoded as the API has it. */
export function aSecret(name: string, data: Record<string, string>, namespace = 'default'): KubeObject {
  const encoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data: encoded };
}

export function desiredState(
  pods: KubeObject[],
  extra: { configMaps?: KubeObject[]; secrets?: KubeObject[]; revision?: number } = {},
): AgentDesired {
  return {
    protocol: protocolVersion,
    revision: extra.revision ?? 1,
    node: 'gw1',
    pods,
    configMaps: extra.configMaps ?? [],
    secrets: extra.secrets ?? [],
    services: [],
    endpointSlices: [],
  };
}

// ---- runtime objects, for the pure planner and status tests --------------------------------

function podLabels(pod: TestPod): Record<string, string> {
  return {
    'io.kubernetes.pod.name': pod.metadata.name ?? '',
    'io.kubernetes.pod.namespace': pod.metadata.namespace ?? '',
    'io.kubernetes.pod.uid': pod.metadata.uid ?? '',
  };
}

export function aSandbox(
  pod: TestPod,
  extra: Partial<SandboxStatus> & { attempt?: number } = {},
): SandboxStatus {
  const { attempt = 0, ...rest } = extra;
  return {
    id: `sb-${pod.metadata.name}-${attempt}`,
    metadata: { name: pod.metadata.name ?? '', namespace: 'default', uid: pod.metadata.uid ?? '', attempt },
    state: 'READY',
    createdAt: 1000 + attempt,
    ip: pod.spec.hostNetwork ? undefined : '10.88.0.2',
    labels: podLabels(pod),
    annotations: { [HostNetworkAnnotation]: String(pod.spec.hostNetwork === true) },
    ...rest,
  };
}

export function aRuntimeContainer(
  pod: TestPod,
  sandbox: SandboxStatus,
  spec: Container,
  extra: Partial<ContainerStatus> = {},
): ContainerStatus {
  const attempt = extra.attempt ?? 0;
  const kind = (pod.spec.initContainers ?? []).some((c) => c.name === spec.name) ? 'init' : 'app';
  const state = extra.state ?? 'RUNNING';
  return {
    id: `c-${spec.name}-${sandbox.metadata.attempt}-${attempt}`,
    podSandboxId: sandbox.id,
    name: spec.name,
    attempt,
    state,
    createdAt: 2000 + attempt,
    startedAt: 2000 + attempt,
    finishedAt: state === 'EXITED' ? 3000 + attempt : 0,
    exitCode: 0,
    reason: state === 'EXITED' ? 'Completed' : '',
    message: '',
    image: spec.image,
    imageRef: 'sha256:abc',
    labels: { ...podLabels(pod), 'io.kubernetes.container.name': spec.name },
    annotations: { [ContainerHashAnnotation]: containerHash(spec), [ContainerKindAnnotation]: kind },
    logPath: '',
    ...extra,
  };
}
