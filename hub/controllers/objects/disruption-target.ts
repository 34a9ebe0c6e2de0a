// The DisruptionTarget pod condition (Kubernetes 1.26+): written on a pod just before a
// controller deletes it, so that its owner (a Job's pod failure policy, `kubectl describe`)
// can tell why it went — the taint manager's NoExecute eviction, pod GC's orphan cleanup.
import type { KubeObject } from '../../../api/types.js';
import type { ResourceStore } from '../../apiserver/registry/resource-store.js';
import { ignoreNotFound } from './api-writes.js';
import type { Condition } from './kinds.js';

export interface Disruption {
  reason: string;
  message: string;
  /** kube time (RFC 3339, seconds). */
  at: string;
  /** PodGC also marks a pod that was still running Failed: no kubelet will ever report its end. */
  failPhase?: boolean;
}

export async function markDisruptionTarget(
  pods: ResourceStore,
  pod: KubeObject,
  disruption: Disruption,
): Promise<void> {
  const { namespace, name } = pod.metadata;
  const condition: Condition = {
    type: 'DisruptionTarget',
    status: 'True',
    reason: disruption.reason,
    message: disruption.message,
    lastTransitionTime: disruption.at,
  };
  await ignoreNotFound(
    pods.modify(
      namespace,
      name!,
      (latest) => {
        const status = (latest.status ?? {}) as { conditions?: Condition[]; phase?: string };
        const conditions = (status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
        const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
        const phase = disruption.failPhase && !terminal ? { phase: 'Failed' } : {};
        return { ...latest, status: { ...status, ...phase, conditions: [...conditions, condition] } };
      },
      { subresource: 'status' },
    ),
  );
}
