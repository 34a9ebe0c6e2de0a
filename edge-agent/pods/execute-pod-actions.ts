// The executor: runs one pod's planned actions against the runtime, in order, with the
// kubelet's events. Stopping honours grace periods; "already gone" (NotFound) counts as done;
// a failed sandbox creation or kill ends the pod's list (the next pass plans again).
import { mkdir, rm } from 'node:fs/promises';
import type { Logger } from '../../api/logger.js';
import type { KubeObject } from '../../api/types.js';
import { podDnsConfig } from '../dns/pod-dns-config.js';
import { type ContainerRuntime, isNotFound, RuntimeError } from '../runtime/container-runtime.js';
import { type BackoffPolicy, nextBackoff } from './backoff.js';
import { sandboxConfig } from './container-config.js';
import type { ImagePuller } from './image-puller.js';
import type { Action } from './pod-actions.js';
import type { EmitEvent as EventFn } from './pod-events.js';
import type { PodRecord } from './pod-records.js';
import { podDescription } from './pod-spec.js';
import { type StartDeps, startContainer } from './start-container.js';

export interface ExecutorDeps extends Omit<StartDeps, 'event'> {
  runtime: ContainerRuntime;
  puller: ImagePuller;
  pod(uid: string): KubeObject | undefined;
  record(uid: string): PodRecord;
  /** Reports the status of a deleting pod whose parts are all stopped, then removes them. */
  finalize(uid: string): Promise<void>;
  /** A pull started by the executor ended (either way). */
  pulled(): void;
  log: Logger;
  now(): number;
  /** Back-off after a failed sandbox creation, kept in the pod's record. */
  sandboxBackoff: BackoffPolicy;
}

async function ignoreNotFound(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** Runs the actions of one pod; resolves to false when one of them failed. */
export async function executePodActions(
  actions: Action[],
  deps: ExecutorDeps,
  event: EventFn,
): Promise<boolean> {
  let ok = true;
  for (const action of actions) {
    try {
      const done = await execute(action, deps, event);
      if (!done) ok = false;
    } catch (error) {
      ok = false;
      const message = error instanceof Error ? error.message : String(error);
      deps.log.warn(`${action.type} for pod ${action.uid} failed: ${message}`);
      if (action.type === 'createSandbox') {
        const record = deps.record(action.uid);
        const at = deps.now();
        const backoff = nextBackoff(record.sandboxFailure?.backoff, at, deps.sandboxBackoff);
        record.sandboxFailure = { at, backoff };
        event('Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${message}`);
      }
      if (action.type === 'createSandbox' || action.type === 'killPod') break;
      if (error instanceof RuntimeError && error.code === 'Unavailable') break;
    }
  }
  return ok;
}

async function execute(action: Action, deps: ExecutorDeps, event: EventFn): Promise<boolean> {
  const { runtime } = deps;
  switch (action.type) {
    case 'createSandbox': {
      const pod = deps.pod(action.uid);
      if (!pod) return true;
      const config = sandboxConfig(pod, action.attempt, {
        podDir: deps.podDir(action.uid),
        cgroupRoot: deps.cgroupRoot,
        dns: deps.dns,
      });
      // The kubelet's DNSConfigForming warnings: nameservers or search domains over the limits.
      for (const warning of deps.dns ? podDnsConfig(pod, deps.dns).warnings : []) {
        event('Warning', warning.reason, warning.message);
      }
      // Its ServiceAccount token is asked of the hub while the sandbox is made.
      deps.tokens?.prefetch(pod);
      await mkdir(config.logDirectory, { recursive: true });
      await runtime.runPodSandbox(config);
      deps.record(action.uid).sandboxFailure = undefined;
      return true;
    }
    case 'killPod': {
      if (action.reason === 'SandboxChanged') {
        event('Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      }
      await Promise.all(
        action.containers.map(async (container) => {
          event('Normal', 'Killing', `Stopping container ${container.name}`);
          await ignoreNotFound(runtime.stopContainer(container.id, action.gracePeriodSeconds));
        }),
      );
      for (const id of action.sandboxIds) await ignoreNotFound(runtime.stopPodSandbox(id));
      return true;
    }
    case 'pullImage':
      deps.puller.start(deps.record(action.uid), action.container, action.image, { event }, deps.pulled);
      return true;
    case 'startContainer': {
      const pod = deps.pod(action.uid);
      if (!pod) return true;
      return startContainer(pod, action, deps.record(action.uid), { ...deps, event });
    }
    case 'killContainer':
      event('Normal', 'Killing', action.message);
      await ignoreNotFound(runtime.stopContainer(action.containerId, action.gracePeriodSeconds));
      return true;
    case 'wait':
      recordWait(action, deps, event);
      return true;
    case 'removeContainer': {
      const status = await runtime.containerStatus(action.containerId);
      await runtime.removeContainer(action.containerId);
      if (status?.logPath) await rm(status.logPath, { force: true });
      return true;
    }
    case 'removeSandbox':
      await ignoreNotFound(runtime.stopPodSandbox(action.sandboxId));
      await runtime.removePodSandbox(action.sandboxId);
      return true;
    case 'finalize':
      await deps.finalize(action.uid);
      return true;
  }
}

/** Remembers why a container waits; a new reason or message is also an event. */
function recordWait(action: Extract<Action, { type: 'wait' }>, deps: ExecutorDeps, event: EventFn): void {
  const record = deps.record(action.uid);
  const before = record.reasons.get(action.container);
  record.reasons.set(action.container, { reason: action.reason, message: action.message });
  if (before?.reason === action.reason && before.message === action.message) return;
  const pod = deps.pod(action.uid);
  switch (action.reason) {
    case 'CrashLoopBackOff': {
      const where = pod ? podDescription(pod) : action.uid;
      event('Warning', 'BackOff', `Back-off restarting failed container ${action.container} in pod ${where}`);
      break;
    }
    case 'ImagePullBackOff':
      event('Normal', 'BackOff', action.message);
      event('Warning', 'Failed', 'Error: ImagePullBackOff');
      break;
    default:
      event('Warning', action.reason, action.message);
      event('Warning', 'Failed', `Error: ${action.reason}`);
  }
}
