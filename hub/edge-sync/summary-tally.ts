// Running counts behind the dashboard summaries (summaries.ts): each summary topic keeps a tally
// that a pod's change adjusts (it takes back what the pod counted for before and adds what it
// counts for now), so a flush costs the same for a workload of 10 pods and of 100,000.

/** Running counts of the pods in one summary. */
export interface Tally {
  pods: number;
  running: number;
  ready: number;
  /** Pods per node name. */
  nodes: Map<string, number>;
  /** The first node names in order, kept until a node joins or leaves the tally (not re-sorted per flush). */
  listed?: string[] | undefined;
}

/** What one pod counts for, and in which summaries. */
export interface Counted {
  topics: string[];
  node: string;
  running: boolean;
  ready: boolean;
}

export function emptyTally(): Tally {
  return { pods: 0, running: 0, ready: 0, nodes: new Map() };
}

export function sameCount(a: Counted, b: Counted): boolean {
  return (
    a.node === b.node &&
    a.running === b.running &&
    a.ready === b.ready &&
    a.topics.length === b.topics.length &&
    a.topics.every((t, i) => t === b.topics[i])
  );
}

export function count(tally: Tally, pod: Counted, sign: 1 | -1): void {
  tally.pods += sign;
  if (pod.running) tally.running += sign;
  if (pod.ready) tally.ready += sign;
  if (!pod.node) return;
  const n = (tally.nodes.get(pod.node) ?? 0) + sign;
  if (n === 1 && sign === 1) tally.listed = undefined;
  if (n > 0) tally.nodes.set(pod.node, n);
  else if (tally.nodes.delete(pod.node)) tally.listed = undefined;
}

/** The node names a summary lists: the first `count` in order, kept until the set changes. */
export function listedNodes(tally: Tally | undefined, count: number): string[] {
  if (!tally) return [];
  tally.listed ??= firstInOrder(tally.nodes.keys(), count);
  return tally.listed;
}

/** The `count` smallest names in order, in one pass (a rollout over 10,000 gateways re-sorted them all at every flush). */
export function firstInOrder(names: Iterable<string>, count: number): string[] {
  const first: string[] = [];
  for (const name of names) {
    if (first.length === count && name >= first[count - 1]!) continue;
    let i = first.length;
    while (i > 0 && first[i - 1]! > name) i--;
    first.splice(i, 0, name);
    if (first.length > count) first.pop();
  }
  return first;
}
