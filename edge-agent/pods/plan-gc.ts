// Garbage collection, planned like everything else: pods no longer desired are stopped (with
// the grace period their containers were started with) and then removed; dead sandboxes that
// are not a pod's newest (a failed RunPodSandbox leaves a NOTREADY one behind) and containers
// whose sandbox is gone are removed; of each container's exited instances only the newest is
// kept (kubelet's MaxPerPodContainer = 1), for `logs --previous` and the last state.
import type { ContainerStatus } from '../runtime/container-runtime.js';
import type { Action } from './pod-actions.js';
import { activeParts, sandboxInUse } from './pod-lifecycle.js';
import type { PodRuntime } from './pod-runtime-view.js';
import { defaultGracePeriodSeconds } from './pod-spec.js';
import { GracePeriodAnnotation } from './runtime-labels.js';

export function planGarbageCollection(desired: ReadonlySet<string>, pods: Map<string, PodRuntime>): Action[] {
  const actions: Action[] = [];
  for (const [uid, runtime] of pods) {
    actions.push(...(desired.has(uid) ? collectDead(runtime) : collectUndesired(runtime)));
  }
  return actions;
}

function collectUndesired(runtime: PodRuntime): Action[] {
  const { uid } = runtime;
  const active = activeParts(runtime);
  if (active.containers.length > 0 || active.sandboxIds.length > 0) {
    return [
      {
        type: 'killPod',
        uid,
        reason: 'Removed',
        gracePeriodSeconds: recordedGrace(runtime.containers),
        ...active,
      },
    ];
  }
  const sandboxIds = new Set(runtime.sandboxes.map((s) => s.id));
  return [
    ...runtime.sandboxes.map((s): Action => ({ type: 'removeSandbox', uid, sandboxId: s.id })),
    ...runtime.containers
      .filter((c) => !sandboxIds.has(c.podSandboxId))
      .map((c): Action => ({ type: 'removeContainer', uid, containerId: c.id })),
  ];
}

function collectDead(runtime: PodRuntime): Action[] {
  const { uid } = runtime;
  const actions: Action[] = [];
  const [newest, ...older] = runtime.sandboxes;
  const removedSandboxes = new Set<string>();
  for (const sandbox of older) {
    if (sandbox.state === 'READY' || sandboxInUse(sandbox, runtime)) continue;
    removedSandboxes.add(sandbox.id);
    actions.push({ type: 'removeSandbox', uid, sandboxId: sandbox.id });
  }
  const known = new Set(runtime.sandboxes.map((s) => s.id));
  const keptExited = new Set<string>();
  for (const container of runtime.containers) {
    if (removedSandboxes.has(container.podSandboxId)) continue;
    const orphan = !known.has(container.podSandboxId);
    // Newest first: the first exited instance of each name (in the newest sandbox) stays.
    const extraExited =
      container.state === 'EXITED' && container.podSandboxId === newest?.id && keptExited.has(container.name);
    if (container.state === 'EXITED' && container.podSandboxId === newest?.id) keptExited.add(container.name);
    if (orphan || extraExited) actions.push({ type: 'removeContainer', uid, containerId: container.id });
  }
  return actions;
}

/** The grace period the containers were started with (pods gone from the desired state). */
function recordedGrace(containers: ContainerStatus[]): number {
  const values = containers
    .map((c) => Number(c.annotations[GracePeriodAnnotation]))
    .filter((n) => Number.isFinite(n) && n >= 0);
  return values.length > 0 ? Math.max(...values) : defaultGracePeriodSeconds;
}
