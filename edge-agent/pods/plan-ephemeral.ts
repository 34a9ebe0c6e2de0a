// Ephemeral containers in the planner (kubelet's computePodActions, EphemeralContainersToStart):
// each is started once in the pod's running sandbox, even before the init containers are done,
// and never restarted. One this agent started, or that has an instance in the runtime (running
// or ended), has run: neither a new sandbox nor a restarted agent starts it again. With a
// targetContainerName it joins that container's process namespace, so it waits for it to run.
import type { ContainerPlanContext, Target } from './plan-containers.js';
import { planStart } from './plan-containers.js';
import type { Action } from './pod-actions.js';
import { instancesOf } from './pod-runtime-view.js';
import { type EphemeralContainer, ephemeralContainersOf, podUid } from './pod-spec.js';

export function planEphemeralContainers(target: Target, ctx: ContainerPlanContext): Action[] {
  return ephemeralContainersOf(target.pod).flatMap((container) => planEphemeral(target, container, ctx));
}

function planEphemeral(target: Target, container: EphemeralContainer, ctx: ContainerPlanContext): Action[] {
  const uid = podUid(target.pod);
  if (ctx.record?.ephemeralStarted?.has(container.name)) return [];
  const latest = instancesOf(target.runtime, container.name)[0];
  if (latest && latest.state !== 'CREATED') return [];
  // Created but never started (the agent stopped in between): it has not run yet.
  const replace: Action[] = latest ? [{ type: 'removeContainer', uid, containerId: latest.id }] : [];
  let targetContainerId: string | undefined;
  if (container.targetContainerName) {
    const name = container.targetContainerName;
    const targetInstance = instancesOf(target.runtime, name, target.sandbox.id)[0];
    if (targetInstance?.state !== 'RUNNING') {
      // Not started yet: wait quietly. Ended: say why this one does not start.
      if (!targetInstance || targetInstance.state === 'CREATED') return replace;
      const message = `target container "${name}" is not running`;
      return [
        ...replace,
        { type: 'wait', uid, container: container.name, reason: 'CreateContainerError', message },
      ];
    }
    targetContainerId = targetInstance.id;
  }
  return [
    ...replace,
    ...planStart(target, container, 'ephemeral', undefined, ctx).map((action) =>
      action.type === 'startContainer' ? { ...action, restartCount: 0, targetContainerId } : action,
    ),
  ];
}
