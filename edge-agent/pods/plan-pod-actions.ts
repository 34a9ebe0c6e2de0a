// The pod sync planner (kubelet's SyncPod / computePodActions, as a pure function): from the
// desired pods, what the runtime runs (grouped by pod), what the agent remembers and the time,
// it returns the actions that converge the runtime, as data. Level-based: the same input gives
// the same plan, and a pod whose sandbox and containers run and match gives none — which is
// how a restarted agent adopts its pods instead of recreating them.
import type { KubeObject } from '../../api/types.js';
import type { SandboxStatus } from '../runtime/container-runtime.js';
import { type BackoffPolicy, isInBackOff } from './backoff.js';
import { planContainers } from './plan-containers.js';
import { planEphemeralContainers } from './plan-ephemeral.js';
import { planGarbageCollection } from './plan-gc.js';
import type { Action } from './pod-actions.js';
import { activeParts, podIsDone } from './pod-lifecycle.js';
import type { PodRecord, UnhealthyVerdict } from './pod-records.js';
import { newestSandbox, type PodRuntime } from './pod-runtime-view.js';
import { gracePeriodOf, isDeleting, podSpecOf, podUid } from './pod-spec.js';
import { HostNetworkAnnotation } from './runtime-labels.js';

export interface PlanInput {
  pods: KubeObject[];
  /** The runtime's sandboxes and containers by pod uid (groupByPod). */
  runtime: Map<string, PodRuntime>;
  records: ReadonlyMap<string, PodRecord>;
  /** Normalised references and IDs of the images the runtime has. */
  images: ReadonlySet<string>;
  /** Containers a liveness or startup probe condemned, by container ID. */
  unhealthy: ReadonlyMap<string, UnhealthyVerdict>;
  now: number;
  /** False until the node has a pod CIDR: only host-network pods get a sandbox. */
  networkReady: boolean;
  crashBackoff: BackoffPolicy;
  pullBackoff: BackoffPolicy;
  /** Back-off after a failed sandbox creation (PodRecord.sandboxFailure). */
  sandboxBackoff: BackoffPolicy;
  /**
   * Pods held stopped by their disconnect policy (disconnect-holds.ts): stopped and removed like
   * pods no longer desired, so that they start afresh (init containers, Never and OnFailure
   * policies included) when released, instead of counting as finished.
   */
  held?: ReadonlySet<string>;
  /**
   * Receives each pod that could not be planned (it threw: a malformed pod): that pod gets no
   * actions, and its sandboxes are kept, while every other pod is planned as usual. Without it, it throws.
   */
  failed?: (pod: KubeObject, error: unknown) => void;
}

export function planPodActions(input: PlanInput): Action[] {
  const held = (pod: KubeObject) => input.held?.has(podUid(pod)) === true && !isDeleting(pod);
  const kept = new Set(input.pods.filter((pod) => !held(pod)).map(podUid));
  return [
    ...input.pods.flatMap((pod) => (held(pod) ? [] : planIsolated(pod, input))),
    ...planGarbageCollection(kept, input.runtime),
  ];
}

function planIsolated(pod: KubeObject, input: PlanInput): Action[] {
  if (!input.failed) return planPod(pod, input);
  try {
    return planPod(pod, input);
  } catch (error) {
    input.failed(pod, error);
    return [];
  }
}

function planPod(pod: KubeObject, input: PlanInput): Action[] {
  const uid = podUid(pod);
  const record = input.records.get(uid);
  if (record?.finalized) return [];
  const runtime = input.runtime.get(uid);
  if (isDeleting(pod)) return planDeletion(pod, runtime);
  if (podIsDone(pod, runtime)) return stopParts(pod, runtime, 'Completed');
  const sandbox = usableSandbox(pod, runtime);
  if (!sandbox) return planNewSandbox(pod, runtime, input);
  const target = { pod, runtime, sandbox };
  const context = {
    record,
    images: input.images,
    unhealthy: input.unhealthy,
    now: input.now,
    crashBackoff: input.crashBackoff,
    pullBackoff: input.pullBackoff,
  };
  // Ephemeral containers first, as the kubelet: debugging must work while init containers fail.
  return [...planEphemeralContainers(target, context), ...planContainers(target, context)];
}

/** Graceful deletion: stop everything with the deletion's grace period, then finalize. */
function planDeletion(pod: KubeObject, runtime: PodRuntime | undefined): Action[] {
  const stop = stopParts(pod, runtime, 'Deleted');
  return stop.length > 0 ? stop : [{ type: 'finalize', uid: podUid(pod) }];
}

function stopParts(
  pod: KubeObject,
  runtime: PodRuntime | undefined,
  reason: 'Deleted' | 'Completed' | 'SandboxChanged',
): Action[] {
  const active = activeParts(runtime);
  if (active.containers.length === 0 && active.sandboxIds.length === 0) return [];
  return [{ type: 'killPod', uid: podUid(pod), reason, gracePeriodSeconds: gracePeriodOf(pod), ...active }];
}

/**
 * The sandbox containers may run in: the newest, ready, the only ready one, in the network
 * namespace the spec asks for, with an IP unless on the host network (kubelet's
 * podSandboxChanged). Anything else means a new sandbox.
 */
function usableSandbox(pod: KubeObject, runtime: PodRuntime | undefined): SandboxStatus | undefined {
  const sandbox = newestSandbox(runtime);
  if (sandbox?.state !== 'READY') return undefined;
  if ((runtime?.sandboxes ?? []).filter((s) => s.state === 'READY').length > 1) return undefined;
  const hostNetwork = podSpecOf(pod).hostNetwork === true;
  if (sandbox.annotations[HostNetworkAnnotation] !== String(hostNetwork)) return undefined;
  if (!hostNetwork && !sandbox.ip) return undefined;
  return sandbox;
}

function planNewSandbox(pod: KubeObject, runtime: PodRuntime | undefined, input: PlanInput): Action[] {
  if (podSpecOf(pod).hostNetwork !== true && !input.networkReady) return [];
  const failure = input.records.get(podUid(pod))?.sandboxFailure;
  if (failure && isInBackOff(failure.backoff, failure.at, input.now, input.sandboxBackoff)) return [];
  const attempts = (runtime?.sandboxes ?? []).map((s) => s.metadata.attempt);
  const attempt = attempts.length > 0 ? Math.max(...attempts) + 1 : 0;
  return [...stopParts(pod, runtime, 'SandboxChanged'), { type: 'createSandbox', uid: podUid(pod), attempt }];
}
