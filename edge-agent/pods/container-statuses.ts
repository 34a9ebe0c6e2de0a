// core/v1 ContainerStatus for each init, app and ephemeral container, from the runtime's
// instances of it (newest = state, the one before = lastState), the reason cache (why it waits:
// back-off, image pulls, config errors) and the probes (ready, started) — kubelet's
// convertToAPIContainerStatuses.
import type { KubeObject } from '../../api/types.js';
import type { ContainerStatus } from '../runtime/container-runtime.js';
import { shouldRestart } from './pod-lifecycle.js';
import type { WaitingReason } from './pod-records.js';
import { instancesOf, type PodRuntime } from './pod-runtime-view.js';
import { type Container, initContainersOf, isDeleting, restartPolicyOf } from './pod-spec.js';
import type { ContainerKind } from './runtime-labels.js';

export type ApiContainerState = {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: {
    exitCode: number;
    reason?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    containerID: string;
  };
};

export type ApiContainerStatus = {
  name: string;
  state: ApiContainerState;
  lastState: ApiContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started: boolean;
};

export interface ProbeView {
  /** Readiness of a running container (true once started when it has no readiness probe). */
  isReady(containerId: string, container: Container): boolean;
  /** Whether its startup probe succeeded (true when it has none). */
  isStarted(containerId: string, container: Container): boolean;
}

export interface StatusContext {
  pod: KubeObject;
  runtime: PodRuntime | undefined;
  reasons: ReadonlyMap<string, WaitingReason>;
  probes: ProbeView;
  /** Prefix of containerID, e.g. containerd. */
  runtimeName: string;
}

/** RFC 3339 to the second, as metav1.Time serialises. */
export function apiTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function terminatedState(instance: ContainerStatus, runtimeName: string): ApiContainerState {
  const terminated: NonNullable<ApiContainerState['terminated']> = {
    exitCode: instance.exitCode,
    containerID: `${runtimeName}://${instance.id}`,
  };
  if (instance.reason) terminated.reason = instance.reason;
  if (instance.message) terminated.message = instance.message;
  if (instance.startedAt) terminated.startedAt = apiTime(instance.startedAt);
  if (instance.finishedAt) terminated.finishedAt = apiTime(instance.finishedAt);
  return { terminated };
}

function stateOf(instance: ContainerStatus, runtimeName: string): ApiContainerState {
  switch (instance.state) {
    case 'RUNNING':
      return { running: { startedAt: apiTime(instance.startedAt) } };
    case 'EXITED':
      return terminatedState(instance, runtimeName);
    case 'CREATED':
      return { waiting: { reason: 'ContainerCreating' } };
    case 'UNKNOWN':
      return { waiting: { reason: 'ContainerStatusUnknown' } };
  }
}

/** kubelet's ShouldContainerBeRestarted, for the waiting-state override. */
function willBeRestarted(pod: KubeObject, kind: ContainerKind, latest: ContainerStatus | undefined): boolean {
  if (isDeleting(pod)) return false;
  if (!latest || latest.state === 'CREATED' || latest.state === 'UNKNOWN') return true;
  // An ephemeral container runs once: what it ended with stays its state.
  if (kind === 'ephemeral') return false;
  if (latest.state === 'RUNNING') return false;
  return shouldRestart(restartPolicyOf(pod), latest);
}

export function containerStatus(
  container: Container,
  kind: ContainerKind,
  ctx: StatusContext,
): ApiContainerStatus {
  const [latest, previous] = instancesOf(ctx.runtime, container.name);
  const defaultWaiting =
    kind === 'app' && initContainersOf(ctx.pod).length > 0 ? 'PodInitializing' : 'ContainerCreating';
  let state: ApiContainerState = latest
    ? stateOf(latest, ctx.runtimeName)
    : { waiting: { reason: defaultWaiting } };
  let lastState: ApiContainerState =
    previous?.state === 'EXITED' ? terminatedState(previous, ctx.runtimeName) : {};
  const succeededInit = kind === 'init' && latest?.state === 'EXITED' && latest.exitCode === 0;
  const reason = ctx.reasons.get(container.name);
  if (reason && !succeededInit && willBeRestarted(ctx.pod, kind, latest)) {
    if (state.terminated) lastState = state;
    state = { waiting: reason.message ? { ...reason } : { reason: reason.reason } };
  }
  const running = latest?.state === 'RUNNING';
  const started = running && ctx.probes.isStarted(latest.id, container);
  const status: ApiContainerStatus = {
    name: container.name,
    state,
    lastState,
    ready:
      kind === 'init' ? succeededInit : kind === 'app' && started && ctx.probes.isReady(latest.id, container),
    restartCount: latest?.attempt ?? 0,
    image: container.image,
    imageID: latest?.imageRef ?? '',
    started,
  };
  if (latest) status.containerID = `${ctx.runtimeName}://${latest.id}`;
  return status;
}
