// The DaemonSet planner, pure: from the nodes and the set's pods, which nodes need a pod and
// which pods must go (kube's manage, podsShouldBeOnNode and rollingUpdate), then the status.
import type { Node, Pod } from '../objects/kinds.js';
import { isPodAvailable, isPodReady, isPodTerminating } from '../objects/pod-conditions.js';
import { type Eligibility, nodeEligibility } from './daemon-eligibility.js';
import { daemonPodNodeName } from './daemon-pod.js';
import {
  allowsSurge,
  type DaemonSetView,
  isUpdated,
  planRollingUpdate,
  type RollingNode,
} from './daemon-rollout.js';

export interface DaemonPlan {
  /** Nodes that get a new pod. */
  createOn: string[];
  /** Names of pods to delete. */
  deletePods: string[];
}

interface NodeState {
  name: string;
  eligibility: Eligibility;
  /** Every pod for the node, oldest first, including terminating ones. */
  pods: Pod[];
  /** Pods neither terminating nor failed. */
  live: Pod[];
}

const byAge = (a: Pod, b: Pod) =>
  (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
  (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

function nodeStates(ds: DaemonSetView, nodes: Node[], pods: Pod[]): NodeState[] {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const name = daemonPodNodeName(pod) ?? '';
    byNode.set(name, [...(byNode.get(name) ?? []), pod]);
  }
  const spec = ds.spec?.template?.spec ?? {};
  return nodes.map((node) => {
    const name = node.metadata.name ?? '';
    const own = (byNode.get(name) ?? []).sort(byAge);
    const live = own.filter((p) => !isPodTerminating(p) && p.status?.phase !== 'Failed');
    return { name, eligibility: nodeEligibility(node, spec), pods: own, live };
  });
}

export function planDaemonSet(
  ds: DaemonSetView,
  nodes: Node[],
  pods: Pod[],
  hash: string,
  now: Date,
): DaemonPlan {
  const createOn: string[] = [];
  const deletePods = new Set<string>();
  const states = nodeStates(ds, nodes, pods);
  const surge = ds.spec?.updateStrategy?.type !== 'OnDelete' && allowsSurge(ds);
  for (const { name, eligibility, pods: own, live } of states) {
    if (eligibility.shouldRun && own.length === 0) createOn.push(name);
    if (eligibility.shouldContinueRunning) {
      // A failed daemon is removed and comes back on the next pass.
      for (const pod of own)
        if (!isPodTerminating(pod) && pod.status?.phase === 'Failed') deletePods.add(pod.metadata.name!);
      for (const extra of duplicates(live, hash, surge)) deletePods.add(extra.metadata.name!);
    } else {
      for (const pod of own) if (!isPodTerminating(pod)) deletePods.add(pod.metadata.name!);
    }
  }
  // Pods pinned to nodes that no longer exist and never got bound (kube's getUnscheduledPodsWithoutNode).
  const known = new Set(nodes.map((n) => n.metadata.name));
  for (const pod of pods) {
    if (!pod.spec?.nodeName && !known.has(daemonPodNodeName(pod)) && !isPodTerminating(pod))
      deletePods.add(pod.metadata.name!);
  }
  if (ds.spec?.updateStrategy?.type !== 'OnDelete') {
    const rolling: RollingNode[] = states
      // A node that should run a daemon and has none yet counts as unavailable.
      .filter((s) => s.eligibility.shouldContinueRunning && (s.eligibility.shouldRun || s.pods.length > 0))
      .map((s) => ({ name: s.name, live: s.live.filter((p) => !deletePods.has(p.metadata.name!)) }));
    const rollout = planRollingUpdate(ds, rolling, hash, now);
    for (const name of rollout.deletePods) deletePods.add(name);
    createOn.push(...rollout.createOn.filter((n) => !createOn.includes(n)));
  }
  return { createOn, deletePods: [...deletePods] };
}

/** Without surge a node keeps its oldest pod; with surge its oldest updated and oldest old pod. */
function duplicates(live: Pod[], hash: string, surge: boolean): Pod[] {
  if (!surge) return live.slice(1);
  const updated = live.filter((p) => isUpdated(p, hash));
  const old = live.filter((p) => !isUpdated(p, hash));
  return [...updated.slice(1), ...old.slice(1)];
}

export interface DaemonCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

/** The status counts (kube's updateDaemonSetStatus), judged on each node's oldest live pod. */
export function countDaemonPods(
  ds: DaemonSetView,
  nodes: Node[],
  pods: Pod[],
  hash: string,
  now: Date,
): DaemonCounts {
  const counts = { desired: 0, current: 0, misscheduled: 0, ready: 0, updated: 0, available: 0 };
  const minReady = ds.spec?.minReadySeconds ?? 0;
  for (const { eligibility, live } of nodeStates(ds, nodes, pods)) {
    const pod = live[0];
    if (!eligibility.shouldRun) {
      if (pod) counts.misscheduled++;
      continue;
    }
    counts.desired++;
    if (!pod) continue;
    counts.current++;
    if (isPodReady(pod)) counts.ready++;
    if (isPodAvailable(pod, minReady, now)) counts.available++;
    if (isUpdated(pod, hash)) counts.updated++;
  }
  return {
    desiredNumberScheduled: counts.desired,
    currentNumberScheduled: counts.current,
    numberMisscheduled: counts.misscheduled,
    numberReady: counts.ready,
    updatedNumberScheduled: counts.updated,
    numberAvailable: counts.available,
    numberUnavailable: Math.max(0, counts.desired - counts.available),
  };
}
