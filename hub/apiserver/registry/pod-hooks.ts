// Pods: graceful deletion, and the edge default for offline gateways.
//
// Graceful deletion: a pod bound to a node lingers with a deletionTimestamp until its kubelet
// (the edge agent) has stopped it and confirms with a zero grace period; a pod that never
// reached a node, or has finished, goes at once (kube's podStrategy.CheckGracefulDelete).
//
// Offline gateways: kube's DefaultTolerationSeconds admission gives every pod 300s of
// tolerance for the not-ready and unreachable NoExecute taints, after which the pod is
// evicted. A gateway that loses its uplink keeps running its pods, so Flotilla tolerates
// those taints without a time limit instead: pods stay bound to an offline gateway unless
// they set tolerationSeconds themselves (then the taint manager evicts them after it). A pod
// annotated flotilla.io/disconnect=replace-after=<duration> gets those tolerations with
// tolerationSeconds = duration, so its controller replaces it on a reachable gateway.
import { replaceAfterSeconds } from '../../../api/disconnect-policy.js';
import type { KubeObject } from '../../../api/types.js';
import type { SharedState } from '../../kinds/kind-definition.js';
import type { KindHooks } from './kind-hooks.js';
import { podServiceAccountAdmission } from './pod-service-account.js';

const defaultGraceSeconds = 30;

const offlineTaintKeys = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

type TolerationShape = { key?: unknown; operator?: unknown; value?: unknown; effect?: unknown };

/** Whether the toleration matches a NoExecute taint `key` with no value (Toleration.ToleratesTaint). */
function toleratesNoExecute(toleration: TolerationShape, key: string): boolean {
  if (toleration.effect && toleration.effect !== 'NoExecute') return false;
  const operator = toleration.operator || 'Equal';
  if (!toleration.key) return operator === 'Exists';
  if (toleration.key !== key) return false;
  return operator === 'Exists' || (operator === 'Equal' && !toleration.value);
}

function addOfflineTolerations(pod: KubeObject): void {
  const spec = pod.spec as { tolerations?: unknown } | undefined;
  if (typeof spec !== 'object' || spec === null) return;
  if (spec.tolerations !== undefined && spec.tolerations !== null && !Array.isArray(spec.tolerations)) return;
  const tolerations = (spec.tolerations ?? []) as unknown[];
  const shaped = tolerations.filter((t): t is TolerationShape => typeof t === 'object' && t !== null);
  const missing = offlineTaintKeys.filter((key) => !shaped.some((t) => toleratesNoExecute(t, key)));
  if (missing.length === 0) return;
  const seconds = replaceAfterSeconds(pod.metadata?.annotations);
  const bounded = seconds === undefined ? {} : { tolerationSeconds: seconds };
  spec.tolerations = [
    ...tolerations,
    ...missing.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', ...bounded })),
  ];
}

export function podHooks(shared: SharedState): KindHooks {
  return {
    ...basePodHooks,
    ...(shared.admission.serviceAccount ? { mutateCreate: podServiceAccountAdmission(shared.store) } : {}),
  };
}

const basePodHooks: KindHooks = {
  normalize: addOfflineTolerations,
  gracePeriod(pod: KubeObject, requested: number | undefined): number | undefined {
    const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    return requested ?? spec.terminationGracePeriodSeconds ?? defaultGraceSeconds;
  },
};
