// NodeUnschedulable: a cordoned node (spec.unschedulable, `kubectl cordon`) takes no new pods
// unless the pod tolerates the node.kubernetes.io/unschedulable:NoSchedule taint, as
// DaemonSet pods do.
import type { FilterPlugin } from '../framework.js';
import { tolerated } from '../tolerations.js';
import { type Taint, wellKnown } from '../types.js';

export const unschedulableReason = 'node(s) were unschedulable';

const cordonTaint: Taint = { key: wellKnown.taintUnschedulable, effect: 'NoSchedule' };

export const nodeUnschedulableFilter: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter: (pod, node) =>
    node.unschedulable && !tolerated(pod.tolerations, cordonTaint) ? unschedulableReason : undefined,
};
