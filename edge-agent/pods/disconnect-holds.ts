// Which pods the agent holds stopped because the hub has been away too long (the
// flotilla.io/disconnect annotation, api/disconnect-policy.ts), pure: desired pods, since when
// the hub is out of reach, and the time in; the holds out. Level-based like the planner: once
// the hub is back (offlineSince undefined) nothing is held, and a pod still desired starts again;
// a replace-after pod the hub deleted meanwhile arrives as deleting and is finalized instead.
import {
  type DisconnectPolicy,
  describeDisconnectPolicy,
  disconnectPolicyOf,
} from '../../api/disconnect-policy.js';
import type { KubeObject } from '../../api/types.js';
import { isDeleting, podUid } from './pod-spec.js';

/** What the pod manager needs to know about the hub link. */
export interface HubContactView {
  /** Since when (ms) the agent has been without the hub; undefined while in touch. */
  offlineSince(): number | undefined;
  /** How many times contact came back (a fresh desired state after a reconnect); grows only. */
  readonly regained: number;
}

export interface DisconnectHold {
  policy: Exclude<DisconnectPolicy, { action: 'keep' }>;
  /** When the pod's time offline ran out (ms). */
  since: number;
  /** The status message: what was decided, why and since when. */
  message: string;
}

/** Pods to hold stopped, by uid. Deleting pods are never held: their deletion goes on. */
export function podsToHold(
  pods: readonly KubeObject[],
  offlineSince: number | undefined,
  now: number,
): Map<string, DisconnectHold> {
  const holds = new Map<string, DisconnectHold>();
  if (offlineSince === undefined) return holds;
  for (const pod of pods) {
    if (isDeleting(pod)) continue;
    const policy = disconnectPolicyOf(pod.metadata.annotations);
    if (policy.action === 'keep') continue;
    const since = offlineSince + policy.seconds * 1000;
    if (now < since) continue;
    holds.set(podUid(pod), { policy, since, message: holdMessage(policy, offlineSince) });
  }
  return holds;
}

function holdMessage(policy: DisconnectHold['policy'], offlineSince: number): string {
  const since = new Date(offlineSince).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const what =
    policy.action === 'stop-after'
      ? 'it starts again once the hub is back'
      : 'the hub replaces it on another gateway; it starts here again only if the hub still wants it here';
  return `Stopped by ${describeDisconnectPolicy(policy)}: no contact with the hub since ${since}; ${what}`;
}
