// Starting one container instance (kubelet's startContainer): volumes set up, environment
// resolved, config built, then CreateContainer and StartContainer. A failure at each step is
// remembered as the container's waiting reason with kubelet's name for it (FailedMount event,
// CreateContainerConfigError, CreateContainerError, RunContainerError).
import type { KubeObject } from '../../api/types.js';
import type { PodDnsSettings } from '../dns/pod-dns-config.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { containerConfig, sandboxConfig } from './container-config.js';
import { ContainerConfigError, resolveEnv } from './container-env.js';
import type { Action } from './pod-actions.js';
import type { PodRecord } from './pod-records.js';
import { allContainersOf } from './pod-spec.js';
import { containerMounts, setUpVolumes, VolumeError } from './pod-volumes.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';

export interface StartDeps {
  runtime: ContainerRuntime;
  nodeName: string;
  hostIP?: string | undefined;
  cgroupRoot?: string | undefined;
  dns?: PodDnsSettings | undefined;
  nodeCapacity: { cpu: number; memory: number };
  podDir(uid: string): string;
  configMap(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  tokens?: ServiceAccountTokens | undefined;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

type StartAction = Extract<Action, { type: 'startContainer' }>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Returns false when the container could not be started (the reason is recorded). */
export async function startContainer(
  pod: KubeObject,
  action: StartAction,
  record: PodRecord,
  deps: StartDeps,
): Promise<boolean> {
  const container = allContainersOf(pod).find(
    (c) => c.kind === action.kind && c.container.name === action.container,
  )?.container;
  if (!container) return false;
  const podDir = deps.podDir(action.uid);
  const fail = (reason: string, message: string) => {
    record.reasons.set(container.name, { reason, message });
    deps.event('Warning', 'Failed', `Error: ${message}`);
    return false;
  };
  let resolved: { envs: { key: string; value: string }[]; mounts: ReturnType<typeof containerMounts> };
  try {
    const volumes = await setUpVolumes({
      pod,
      podDir,
      configMap: deps.configMap,
      secret: deps.secret,
      tokens: deps.tokens,
    });
    resolved = {
      mounts: containerMounts(container, volumes),
      envs: resolveEnv(container, {
        pod,
        nodeName: deps.nodeName,
        podIP: action.podIP ?? deps.hostIP,
        hostIP: deps.hostIP,
        configMap: deps.configMap,
        secret: deps.secret,
        nodeCapacity: deps.nodeCapacity,
      }),
    };
  } catch (error) {
    if (error instanceof VolumeError) {
      // kubelet keeps such a pod in ContainerCreating and says why in a FailedMount event.
      deps.event('Warning', 'FailedMount', error.message);
      return false;
    }
    if (error instanceof ContainerConfigError) return fail('CreateContainerConfigError', error.message);
    throw error;
  }
  if (action.backoff) record.crashBackoff.set(action.backoff.key, action.backoff.entry);
  const config = containerConfig(pod, container, action.kind, action.restartCount, resolved);
  if (action.targetContainerId) config.targetContainerId = action.targetContainerId;
  const sandbox = sandboxConfig(pod, action.sandboxAttempt, {
    podDir,
    cgroupRoot: deps.cgroupRoot,
    dns: deps.dns,
  });
  let id: string;
  try {
    id = await deps.runtime.createContainer(action.sandboxId, config, sandbox);
  } catch (error) {
    return fail('CreateContainerError', messageOf(error));
  }
  deps.event('Normal', 'Created', `Created container ${container.name}`);
  try {
    await deps.runtime.startContainer(id);
  } catch (error) {
    return fail('RunContainerError', messageOf(error));
  }
  record.reasons.delete(container.name);
  if (action.kind === 'ephemeral') {
    record.ephemeralStarted ??= new Set();
    record.ephemeralStarted.add(container.name);
  }
  deps.event('Normal', 'Started', `Started container ${container.name}`);
  return true;
}
