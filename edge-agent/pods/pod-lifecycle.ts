// Rules of a pod's life shared by the planner and the status builder: when a container is
// restarted (restartPolicy), how far the init containers got (they run one at a time, in
// order, and each must succeed before the next), and when a pod is done for good.
import type { KubeObject } from '../../api/types.js';
import type { ContainerStatus, SandboxStatus } from '../runtime/container-runtime.js';
import { instancesOf, newestSandbox, type PodRuntime } from './pod-runtime-view.js';
import {
  appContainersOf,
  type Container,
  initContainersOf,
  type RestartPolicy,
  restartPolicyOf,
} from './pod-spec.js';

/** kubelet's ShouldContainerBeRestarted for a container whose last instance exited. */
export function shouldRestart(policy: RestartPolicy, exited: ContainerStatus): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exited.exitCode !== 0;
  return false;
}

export type InitProgress =
  | { state: 'done' }
  /** `container` has not run yet in this sandbox. */
  | { state: 'pending'; container: Container }
  | { state: 'running'; container: Container; latest: ContainerStatus }
  | { state: 'failed'; container: Container; latest: ContainerStatus };

export function initProgress(
  pod: KubeObject,
  runtime: PodRuntime | undefined,
  sandboxId: string,
): InitProgress {
  for (const container of initContainersOf(pod)) {
    const latest = instancesOf(runtime, container.name, sandboxId)[0];
    if (!latest) return { state: 'pending', container };
    if (latest.state !== 'EXITED') return { state: 'running', container, latest };
    if (latest.exitCode !== 0) return { state: 'failed', container, latest };
  }
  return { state: 'done' };
}

/**
 * A pod whose containers have all ended and will not be restarted (or whose init container
 * failed under restartPolicy Never): it is only ever stopped from now on, never restarted.
 * A Never pod whose sandbox died after its containers ran is done too (kubelet creates no
 * second sandbox for it).
 */
export function podIsDone(pod: KubeObject, runtime: PodRuntime | undefined): boolean {
  const sandbox = newestSandbox(runtime);
  if (!sandbox) return false;
  const policy = restartPolicyOf(pod);
  const inSandbox = (runtime?.containers ?? []).filter((c) => c.podSandboxId === sandbox.id);
  if (policy === 'Never' && sandbox.state !== 'READY' && inSandbox.length > 0) return true;
  const init = initProgress(pod, runtime, sandbox.id);
  if (init.state === 'failed' && policy === 'Never') return true;
  if (init.state !== 'done') return false;
  return appContainersOf(pod).every((container) => {
    const latest = instancesOf(runtime, container.name, sandbox.id)[0];
    return latest?.state === 'EXITED' && !shouldRestart(policy, latest);
  });
}

/** The running things of a pod: what a kill has to stop. */
export function activeParts(runtime: PodRuntime | undefined): {
  containers: { id: string; name: string }[];
  sandboxIds: string[];
} {
  return {
    containers: (runtime?.containers ?? [])
      .filter((c) => c.state === 'RUNNING' || c.state === 'CREATED' || c.state === 'UNKNOWN')
      .map((c) => ({ id: c.id, name: c.name })),
    sandboxIds: (runtime?.sandboxes ?? []).filter((s) => s.state === 'READY').map((s) => s.id),
  };
}

export function sandboxInUse(sandbox: SandboxStatus, runtime: PodRuntime): boolean {
  return runtime.containers.some((c) => c.podSandboxId === sandbox.id && c.state !== 'EXITED');
}
