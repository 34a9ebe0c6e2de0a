// The pod phase from its container statuses, by the kubelet's rules (getPhase): init
// containers must all succeed (one failing under restartPolicy Never fails the pod); a waiting
// container keeps it Pending; a running one makes it Running; when all have stopped, the
// restart policy says whether it is still Running (being restarted), Succeeded or Failed.
import type { KubeObject } from '../../api/types.js';
import type { ApiContainerStatus } from './container-statuses.js';
import { appContainersOf, initContainersOf, restartPolicyOf } from './pod-spec.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

function byName(statuses: ApiContainerStatus[]): Map<string, ApiContainerStatus> {
  return new Map(statuses.map((s) => [s.name, s]));
}

function initCounts(pod: KubeObject, statuses: ApiContainerStatus[]): { pending: number; failed: number } {
  const found = byName(statuses);
  let pending = 0;
  let failed = 0;
  for (const container of initContainersOf(pod)) {
    const status = found.get(container.name);
    const terminated = status?.state.terminated ?? status?.lastState.terminated;
    if (status?.state.terminated || (status?.state.waiting && status.lastState.terminated)) {
      if (terminated && terminated.exitCode !== 0) failed++;
    } else {
      pending++;
    }
  }
  return { pending, failed };
}

/** `terminal`: the pod is being deleted and everything has stopped, so nothing restarts. */
export function podPhase(
  pod: KubeObject,
  init: ApiContainerStatus[],
  app: ApiContainerStatus[],
  terminal: boolean,
): PodPhase {
  const policy = restartPolicyOf(pod);
  const initCount = initCounts(pod, init);
  const found = byName(app);
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const container of appContainersOf(pod)) {
    const status = found.get(container.name);
    if (status?.state.running) running++;
    else if (status?.state.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status?.lastState.terminated) stopped++;
    else waiting++;
  }
  if (initCount.failed > 0 && policy === 'Never') return 'Failed';
  if (initCount.pending > 0 || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
  if (policy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return policy === 'Never' ? 'Failed' : 'Running';
}
