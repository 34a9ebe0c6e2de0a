// The planner as the table tests call it: a runtime made of builders, summaries of actions.
import { kubeletBackoff } from '../../../edge-agent/pods/backoff.js';
import { planPodActions } from '../../../edge-agent/pods/plan-pod-actions.js';
import type { Action } from '../../../edge-agent/pods/pod-actions.js';
import type { PodRecord, UnhealthyVerdict } from '../../../edge-agent/pods/pod-records.js';
import { groupByPod } from '../../../edge-agent/pods/pod-runtime-view.js';
import type { ContainerStatus, SandboxStatus } from '../../../edge-agent/runtime/container-runtime.js';
import { BUSYBOX, type TestPod } from './pod-builders.js';

export interface Options {
  records?: Map<string, PodRecord>;
  images?: string[];
  unhealthy?: Map<string, UnhealthyVerdict>;
  now?: number;
  networkReady?: boolean;
}

export function plan(
  pods: TestPod[],
  sandboxes: SandboxStatus[],
  containers: ContainerStatus[],
  options: Options = {},
) {
  return planPodActions({
    pods,
    runtime: groupByPod({ sandboxes, containers }),
    records: options.records ?? new Map(),
    images: new Set(options.images ?? [BUSYBOX]),
    unhealthy: options.unhealthy ?? new Map(),
    now: options.now ?? 10_000,
    networkReady: options.networkReady ?? true,
    crashBackoff: kubeletBackoff,
    pullBackoff: kubeletBackoff,
    sandboxBackoff: kubeletBackoff,
  });
}

/** `type container` (or `type` alone), the shape each table row compares. */
export function summary(actions: Action[]): string[] {
  return actions.map((a) => {
    switch (a.type) {
      case 'startContainer':
        return `start ${a.container} #${a.restartCount}`;
      case 'killContainer':
        return `kill ${a.container} (${a.reason})`;
      case 'killPod':
        return `killPod ${a.reason} grace=${a.gracePeriodSeconds}`;
      case 'createSandbox':
        return `createSandbox #${a.attempt}`;
      case 'wait':
        return `wait ${a.container} ${a.reason}`;
      case 'pullImage':
        return `pull ${a.image}`;
      case 'removeContainer':
        return `removeContainer ${a.containerId}`;
      case 'removeSandbox':
        return `removeSandbox ${a.sandboxId}`;
      default:
        return a.type;
    }
  });
}
