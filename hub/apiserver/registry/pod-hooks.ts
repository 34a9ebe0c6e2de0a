// Pods: graceful deletion. A pod bound to a node lingers with a deletionTimestamp until its
// kubelet (the edge agent) has stopped it and confirms with a zero grace period; a pod that
// never reached a node, or has finished, goes at once (kube's podStrategy.CheckGracefulDelete).
import type { KubeObject } from '../../../api/types.js';
import type { KindHooks } from './kind-hooks.js';

const defaultGraceSeconds = 30;

export const podHooks: KindHooks = {
  gracePeriod(pod: KubeObject, requested: number | undefined): number | undefined {
    const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    return requested ?? spec.terminationGracePeriodSeconds ?? defaultGraceSeconds;
  },
};
