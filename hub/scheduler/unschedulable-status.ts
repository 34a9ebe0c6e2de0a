// Telling the user why a pod waits: the PodScheduled=False condition with reason Unschedulable
// and the scheduler's message, written through the status subresource. Rewriting the same
// message again is skipped, and lastTransitionTime moves only when the status flips (API
// conventions for conditions).
import type { Clock } from '../../api/clock.js';
import type { KubeObject } from '../../api/types.js';
import { kubeTime } from '../apiserver/registry/object-lifecycle.js';
import type { Registry } from '../apiserver/registry/registry.js';
import type { PodCondition, PodObject } from './types.js';

export const unschedulableReason = 'Unschedulable';

/** The pod with the condition set, or undefined when it already says exactly this (or got bound). */
export function withUnschedulableCondition(
  pod: PodObject,
  message: string,
  now: Date,
): PodObject | undefined {
  if (pod.spec?.nodeName) return undefined;
  const conditions = pod.status?.conditions ?? [];
  const current = conditions.find((c) => c.type === 'PodScheduled');
  if (current?.status === 'False' && current.reason === unschedulableReason && current.message === message) {
    return undefined;
  }
  const condition: PodCondition = {
    type: 'PodScheduled',
    status: 'False',
    reason: unschedulableReason,
    message,
    lastProbeTime: null,
    lastTransitionTime:
      current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : kubeTime(now),
  };
  const others = conditions.filter((c) => c.type !== 'PodScheduled');
  return { ...pod, status: { ...pod.status, conditions: [...others, condition] } };
}

export async function markUnschedulable(
  registry: Registry,
  clock: Clock,
  pod: PodObject,
  message: string,
): Promise<void> {
  const { namespace, name, uid } = pod.metadata;
  await registry.for({ group: '', resource: 'pods' }).modify(
    namespace,
    name!,
    (current) => {
      if (current.metadata.uid !== uid) return current; // a new pod took the name: not ours to mark
      return (withUnschedulableCondition(current, message, clock.now()) ?? current) as KubeObject;
    },
    { subresource: 'status' },
  );
}
