// Which nodes a DaemonSet runs on (kube's NodeShouldRunDaemonPod): the template's nodeName,
// nodeSelector and required node affinity must match the node, and the node's NoSchedule and
// NoExecute taints must be tolerated, counting the tolerations every daemon pod gets
// automatically (https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations).
import { requiredNodeMatcher } from '../../scheduler/node-selection.js';
import { firstUntoleratedTaint } from '../../scheduler/tolerations.js';
import type { Toleration } from '../../scheduler/types.js';
import type { Node, PodSpecView } from '../objects/kinds.js';
import { taintKeys } from '../objects/well-known.js';

export interface Eligibility {
  /** A daemon pod should be created on the node. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (only an untolerated NoExecute taint evicts it). */
  shouldContinueRunning: boolean;
}

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/** Daemons keep running on unreachable and pressured nodes, and land on cordoned ones. */
const automaticTolerations: readonly Toleration[] = [
  exists(taintKeys.notReady, 'NoExecute'),
  exists(taintKeys.unreachable, 'NoExecute'),
  exists(taintKeys.diskPressure, 'NoSchedule'),
  exists(taintKeys.memoryPressure, 'NoSchedule'),
  exists(taintKeys.pidPressure, 'NoSchedule'),
  exists(taintKeys.unschedulable, 'NoSchedule'),
];

/** The template's tolerations plus the automatic ones it does not already carry (by key and effect). */
export function daemonPodTolerations(spec: PodSpecView): Toleration[] {
  const tolerations = [...(spec.tolerations ?? [])];
  const wanted = [...automaticTolerations];
  // A host-network daemon (a CNI agent, say) is what makes the network available.
  if (spec.hostNetwork === true) wanted.push(exists(taintKeys.networkUnavailable, 'NoSchedule'));
  for (const toleration of wanted) {
    const present = tolerations.some((t) => t.key === toleration.key && t.effect === toleration.effect);
    if (!present) tolerations.push(toleration);
  }
  return tolerations;
}

export function nodeEligibility(node: Node, spec: PodSpecView): Eligibility {
  const name = node.metadata.name ?? '';
  const never = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== name) return never;
  const matcher = requiredNodeMatcher(spec);
  if (matcher && !matcher({ name, labels: node.metadata.labels ?? {} })) return never;
  const taints = node.spec?.taints ?? [];
  const tolerations = daemonPodTolerations(spec);
  if (!firstUntoleratedTaint(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    return { shouldRun: true, shouldContinueRunning: true };
  }
  return {
    shouldRun: false,
    shouldContinueRunning: !firstUntoleratedTaint(taints, tolerations, ['NoExecute']),
  };
}
