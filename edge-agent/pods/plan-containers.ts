// The container half of the planner (kubelet's computePodActions once the sandbox is fine):
// init containers one at a time in order, then every app container per restartPolicy, with
// crash-loop back-off, image pulls (pull policies, pull back-off, offline tolerance), restarts
// for changed specs and for liveness/startup probe failures.
import type { KubeObject } from '../../api/types.js';
import type { ContainerStatus, SandboxStatus } from '../runtime/container-runtime.js';
import { normalizeImageRef } from '../runtime/image-ref.js';
import {
  type BackoffEntry,
  type BackoffPolicy,
  formatGoDuration,
  isInBackOff,
  nextBackoff,
} from './backoff.js';
import type { Action } from './pod-actions.js';
import { initProgress, shouldRestart } from './pod-lifecycle.js';
import { crashBackoffKey, type PodRecord, type UnhealthyVerdict } from './pod-records.js';
import { instancesOf, nextRestartCount, type PodRuntime } from './pod-runtime-view.js';
import {
  appContainersOf,
  type Container,
  gracePeriodOf,
  podDescription,
  podUid,
  pullPolicyOf,
  restartPolicyOf,
} from './pod-spec.js';
import { ContainerHashAnnotation, type ContainerKind, containerHash } from './runtime-labels.js';

export interface ContainerPlanContext {
  record: Pick<PodRecord, 'crashBackoff' | 'pulls' | 'ephemeralStarted'> | undefined;
  /** Normalised references and IDs of the images the runtime has. */
  images: ReadonlySet<string>;
  unhealthy: ReadonlyMap<string, UnhealthyVerdict>;
  now: number;
  crashBackoff: BackoffPolicy;
  pullBackoff: BackoffPolicy;
}

export interface Target {
  pod: KubeObject;
  runtime: PodRuntime | undefined;
  sandbox: SandboxStatus;
}

export function planContainers(target: Target, ctx: ContainerPlanContext): Action[] {
  const { pod, runtime, sandbox } = target;
  const init = initProgress(pod, runtime, sandbox.id);
  switch (init.state) {
    case 'pending':
      return planStart(target, init.container, 'init', undefined, ctx);
    case 'failed':
      // restartPolicy Never made the pod done before we got here: this one is restarted.
      return planRestart(target, init.container, 'init', init.latest, ctx);
    case 'running':
      return [];
    case 'done':
      return appContainersOf(pod).flatMap((container) => planAppContainer(target, container, ctx));
  }
}

function planAppContainer(target: Target, container: Container, ctx: ContainerPlanContext): Action[] {
  const { pod, runtime, sandbox } = target;
  const uid = podUid(pod);
  const latest = instancesOf(runtime, container.name, sandbox.id)[0];
  if (!latest) return planStart(target, container, 'app', undefined, ctx);
  const kill = (reason: 'Unhealthy' | 'SpecChanged' | 'Unknown', message: string): Action => ({
    type: 'killContainer',
    uid,
    containerId: latest.id,
    container: container.name,
    gracePeriodSeconds: gracePeriodOf(pod),
    reason,
    message,
  });
  switch (latest.state) {
    case 'EXITED':
      if (!shouldRestart(restartPolicyOf(pod), latest)) return [];
      return planRestart(target, container, 'app', latest, ctx);
    case 'CREATED':
      // Created but never started (the agent stopped in between): replace it.
      return [
        { type: 'removeContainer', uid, containerId: latest.id },
        ...planStart(target, container, 'app', undefined, ctx),
      ];
    case 'UNKNOWN':
      return [
        kill('Unknown', `Container ${container.name} is in an unknown state, will be restarted`),
        ...planStart(target, container, 'app', undefined, ctx),
      ];
    case 'RUNNING':
      return planRunning(target, container, latest, kill, ctx);
  }
}

function planRunning(
  target: Target,
  container: Container,
  latest: ContainerStatus,
  kill: (reason: 'Unhealthy' | 'SpecChanged', message: string) => Action,
  ctx: ContainerPlanContext,
): Action[] {
  if (latest.annotations[ContainerHashAnnotation] !== containerHash(container)) {
    // kubelet restarts a changed container whatever the restart policy. Unlike the kubelet, the
    // old one keeps running until the new image is here: a gateway that cannot pull keeps working.
    const start = planStart(target, container, 'app', undefined, ctx);
    if (start[0]?.type !== 'startContainer') return start;
    const message = `Container ${container.name} definition changed, will be restarted`;
    return [kill('SpecChanged', message), ...start];
  }
  const verdict = ctx.unhealthy.get(latest.id);
  if (!verdict) return [];
  const message = `Container ${container.name} failed ${verdict.probe.toLowerCase()} probe, will be restarted`;
  const actions = [kill('Unhealthy', message)];
  // The kill ends it with 137, so OnFailure restarts it as Always does; Never does not.
  if (restartPolicyOf(target.pod) === 'Never') return actions;
  return [...actions, ...planStart(target, container, 'app', backoffAfter(container, ctx.now, ctx), ctx)];
}

function backoffAfter(container: Container, eventTime: number, ctx: ContainerPlanContext) {
  const key = crashBackoffKey(container.name, containerHash(container));
  return { key, entry: nextBackoff(ctx.record?.crashBackoff.get(key), eventTime, ctx.crashBackoff) };
}

function planRestart(
  target: Target,
  container: Container,
  kind: ContainerKind,
  exited: ContainerStatus,
  ctx: ContainerPlanContext,
): Action[] {
  const key = crashBackoffKey(container.name, containerHash(container));
  const entry: BackoffEntry | undefined = ctx.record?.crashBackoff.get(key);
  const eventTime = exited.finishedAt || exited.createdAt;
  if (isInBackOff(entry, eventTime, ctx.now, ctx.crashBackoff) && entry) {
    const pod = podDescription(target.pod);
    const duration = formatGoDuration(entry.durationMs);
    const message = `back-off ${duration} restarting failed container=${container.name} pod=${pod}`;
    return [
      {
        type: 'wait',
        uid: podUid(target.pod),
        container: container.name,
        reason: 'CrashLoopBackOff',
        message,
      },
    ];
  }
  return planStart(target, container, kind, backoffAfter(container, eventTime, ctx), ctx);
}

export function planStart(
  target: Target,
  container: Container,
  kind: ContainerKind,
  backoff: { key: string; entry: BackoffEntry } | undefined,
  ctx: ContainerPlanContext,
): Action[] {
  const uid = podUid(target.pod);
  const latest = instancesOf(target.runtime, container.name)[0];
  const image = imageDecision(container, latest?.finishedAt ?? 0, ctx);
  switch (image.kind) {
    case 'pulling':
      return [];
    case 'pull':
      return [{ type: 'pullImage', uid, container: container.name, image: container.image }];
    case 'wait':
      return [{ type: 'wait', uid, container: container.name, reason: image.reason, message: image.message }];
    case 'ready':
      return [
        {
          type: 'startContainer',
          uid,
          sandboxId: target.sandbox.id,
          sandboxAttempt: target.sandbox.metadata.attempt,
          podIP: target.sandbox.ip,
          container: container.name,
          kind,
          restartCount: nextRestartCount(target.runtime, container.name),
          backoff,
        },
      ];
  }
}

type ImageDecision =
  | { kind: 'ready' | 'pull' | 'pulling' }
  | { kind: 'wait'; reason: 'ErrImageNeverPull' | 'ImagePullBackOff'; message: string };

/**
 * Pull policies as the kubelet applies them, except that an image already on the gateway is
 * used when a pull fails (Always while offline): an edge gateway keeps running what it has.
 * `since`: an Always image counts as pulled when an attempt ended after the last run ended.
 */
function imageDecision(container: Container, since: number, ctx: ContainerPlanContext): ImageDecision {
  const present = ctx.images.has(normalizeImageRef(container.image));
  const policy = pullPolicyOf(container);
  if (policy === 'Never') {
    if (present) return { kind: 'ready' };
    const message = `Container image "${container.image}" is not present with pull policy of Never`;
    return { kind: 'wait', reason: 'ErrImageNeverPull', message };
  }
  const pull = ctx.record?.pulls.get(container.image);
  if (pull?.inFlight) return { kind: 'pulling' };
  if (present && policy === 'IfNotPresent') return { kind: 'ready' };
  const backingOff =
    pull !== undefined && !pull.ok && isInBackOff(pull.backoff, pull.lastAttemptAt, ctx.now, ctx.pullBackoff);
  if (present && pull && (pull.lastAttemptAt >= since || backingOff)) return { kind: 'ready' };
  if (!present && backingOff) {
    return {
      kind: 'wait',
      reason: 'ImagePullBackOff',
      message: `Back-off pulling image "${container.image}"`,
    };
  }
  return { kind: 'pull' };
}
