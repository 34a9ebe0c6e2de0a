// Builders for scheduler tests: ready nodes with allocatable resources and labels, pods with
// requests, tolerations, affinity and spread constraints, and small runners that drive one
// plugin through its cycle (preFilter → filter, preScore → score → normalize) on a snapshot.
import type { CycleState, FilterPlugin, FilterVerdict, ScorePlugin } from '../../hub/scheduler/framework.js';
import { podInfo } from '../../hub/scheduler/pod-info.js';
import { ClusterSnapshot } from '../../hub/scheduler/snapshot.js';
import { aNode, aPod, type TestObject } from './builders.js';

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  ready?: 'True' | 'False' | 'Unknown' | 'absent';
}

/** A Ready node with 4 cpu, 8Gi and room for 110 pods unless told otherwise. */
export function aReadyNode(name: string, options: NodeOptions = {}): TestObject {
  const node = aNode(name);
  node.metadata.labels = { 'kubernetes.io/hostname': name, ...options.labels };
  if (options.taints) node.spec.taints = options.taints;
  const allocatable = {
    cpu: options.cpu ?? '4',
    memory: options.memory ?? '8Gi',
    pods: String(options.pods ?? 110),
  };
  const ready = options.ready ?? 'True';
  node.status = {
    capacity: allocatable,
    allocatable,
    conditions: ready === 'absent' ? [] : [{ type: 'Ready', status: ready }],
  };
  return node;
}

/** A pod in `namespace` (default "default") with the given labels. */
export function aLabelledPod(
  name: string,
  labels: Record<string, string> = {},
  namespace = 'default',
): TestObject {
  const pod = aPod(name);
  pod.metadata.namespace = namespace;
  pod.metadata.labels = labels;
  pod.metadata.uid = `uid-${namespace}-${name}`;
  return pod;
}

export function requesting(pod: TestObject, requests: Record<string, string>): TestObject {
  pod.spec.containers[0].resources = { requests };
  return pod;
}

export function boundTo(pod: TestObject, nodeName: string): TestObject {
  pod.spec.nodeName = nodeName;
  pod.status = { phase: 'Running' };
  return pod;
}

export function snapshotOf(nodes: TestObject[], pods: TestObject[] = []): ClusterSnapshot {
  const snapshot = new ClusterSnapshot();
  for (const node of nodes) snapshot.setNode(node);
  for (const pod of pods) snapshot.upsertPod(pod);
  return snapshot;
}

/** The plugin's verdict for one node, after its preFilter (a rejection applies to every node). */
export function verdictOn(
  plugin: FilterPlugin,
  pod: TestObject,
  snapshot: ClusterSnapshot,
  nodeName: string,
): FilterVerdict {
  const state: CycleState = new Map();
  const info = podInfo(pod);
  const pre = plugin.preFilter?.(info, snapshot, state);
  if (pre?.reject) return pre.reject;
  if (pre?.skip) return undefined;
  if (pre?.nodeNames && !pre.nodeNames.has(nodeName)) return 'not in preFilter node names';
  return plugin.filter(info, snapshot.get(nodeName)!, state);
}

/** Node name → final (normalised) score; every node in the snapshot counts as feasible. */
export function scoresOf(
  plugin: ScorePlugin,
  pod: TestObject,
  snapshot: ClusterSnapshot,
): Record<string, number> {
  const feasible = snapshot.nodes();
  const state: CycleState = new Map();
  const info = podInfo(pod);
  if (plugin.preScore && !plugin.preScore(info, feasible, snapshot, state)) {
    return Object.fromEntries(feasible.map((n) => [n.name, 0]));
  }
  const scores = Float64Array.from(feasible, (node) => plugin.score(info, node, state));
  plugin.normalize?.(scores, feasible, state);
  return Object.fromEntries(feasible.map((n, i) => [n.name, scores[i]!]));
}
