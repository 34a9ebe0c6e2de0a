// Which informer events matter to the scheduler beyond keeping its snapshot current: which pod
// updates warrant another scheduling attempt, and which node updates may let waiting pods fit
// (kube's queueing hints, simplified). Node heartbeats change none of these, so thousands of
// gateways reporting status do not keep re-running every pending pod.
import { isDeepStrictEqual } from 'node:util';
import type { NodeObject, PodObject } from './types.js';
import { defaultSchedulerName } from './types.js';

/** A pod this scheduler should place: unbound, ours, not being deleted, not gated, not finished. */
export function needsScheduling(pod: PodObject, schedulerName = defaultSchedulerName): boolean {
  const spec = pod.spec ?? {};
  if (spec.nodeName || pod.metadata.deletionTimestamp) return false;
  if ((spec.schedulerName || defaultSchedulerName) !== schedulerName) return false;
  if ((spec.schedulingGates ?? []).length > 0) return false;
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** Spec, labels or annotations changed (status-only writes, including ours, do not count). */
export function podChanged(pod: PodObject, old: PodObject): boolean {
  return (
    !isDeepStrictEqual(pod.spec, old.spec) ||
    !isDeepStrictEqual(pod.metadata.labels, old.metadata.labels) ||
    !isDeepStrictEqual(pod.metadata.annotations, old.metadata.annotations)
  );
}

function schedulingView(node: NodeObject): unknown {
  const status = node.status ?? {};
  return [
    node.metadata.labels,
    node.spec?.taints,
    node.spec?.unschedulable,
    status.allocatable ?? status.capacity,
    status.conditions?.find((c) => c.type === 'Ready')?.status,
  ];
}

export function nodeChangedForScheduling(node: NodeObject, old: NodeObject): boolean {
  return !isDeepStrictEqual(schedulingView(node), schedulingView(old));
}
