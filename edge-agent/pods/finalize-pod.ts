// The end of a graceful deletion: every container and the sandbox of the deleting pod have
// stopped. Its last status (containers terminated) is taken, the sandbox and containers are
// removed, and the status goes out with `finalized`, the agent's half of kubelet's final
// DELETE: the hub then removes the pod.
import type { PodStatus } from '../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../api/types.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { groupByPod, type PodRuntime } from './pod-runtime-view.js';
import { podUid } from './pod-spec.js';
import { readRuntime } from './read-runtime.js';

export interface FinalizeDeps {
  runtime: ContainerRuntime;
  now(): number;
  build(pod: KubeObject, runtime: PodRuntime | undefined, now: number): PodStatus;
  reportFinal(pod: KubeObject, status: PodStatus, now: number): void;
}

export async function finalizePod(pod: KubeObject, deps: FinalizeDeps): Promise<void> {
  const runtime = groupByPod(await readRuntime(deps.runtime)).get(podUid(pod));
  const now = deps.now();
  const status = deps.build(pod, runtime, now);
  for (const sandbox of runtime?.sandboxes ?? []) await deps.runtime.removePodSandbox(sandbox.id);
  for (const container of runtime?.containers ?? []) await deps.runtime.removeContainer(container.id);
  deps.reportFinal(pod, status, now);
}
