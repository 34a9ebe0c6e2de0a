// The runtime's sandboxes and containers grouped by the pod they belong to (by the kubelet's
// pod uid label), newest first: what the planner and the status builder read. Sandboxes and
// containers without the label are not the agent's and never appear here.
import type { ContainerStatus, SandboxStatus } from '../runtime/container-runtime.js';
import { podUidOfLabels } from './runtime-labels.js';

export interface RuntimeSnapshot {
  sandboxes: SandboxStatus[];
  containers: ContainerStatus[];
}

export interface PodRuntime {
  uid: string;
  /** Newest first (highest attempt, then latest creation). */
  sandboxes: SandboxStatus[];
  /** Every container of the pod, in any sandbox, newest first. */
  containers: ContainerStatus[];
}

function newestFirst<T extends { attempt: number; createdAt: number }>(a: T, b: T): number {
  return b.attempt - a.attempt || b.createdAt - a.createdAt;
}

export function groupByPod(snapshot: RuntimeSnapshot): Map<string, PodRuntime> {
  const pods = new Map<string, PodRuntime>();
  const entry = (uid: string): PodRuntime => {
    let pod = pods.get(uid);
    if (!pod) {
      pod = { uid, sandboxes: [], containers: [] };
      pods.set(uid, pod);
    }
    return pod;
  };
  for (const sandbox of snapshot.sandboxes) {
    const uid = podUidOfLabels(sandbox.labels);
    if (uid) entry(uid).sandboxes.push(sandbox);
  }
  for (const container of snapshot.containers) {
    const uid = podUidOfLabels(container.labels);
    if (uid) entry(uid).containers.push(container);
  }
  for (const pod of pods.values()) {
    pod.sandboxes.sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
    pod.containers.sort(newestFirst);
  }
  return pods;
}

export function newestSandbox(pod: PodRuntime | undefined): SandboxStatus | undefined {
  return pod?.sandboxes[0];
}

/** Instances of one container, newest first; only those in `sandboxId` when given. */
export function instancesOf(
  pod: PodRuntime | undefined,
  name: string,
  sandboxId?: string,
): ContainerStatus[] {
  return (pod?.containers ?? []).filter(
    (c) => c.name === name && (sandboxId === undefined || c.podSandboxId === sandboxId),
  );
}

/** The next instance's restart count: one more than any earlier instance's, in any sandbox. */
export function nextRestartCount(pod: PodRuntime | undefined, name: string): number {
  const previous = instancesOf(pod, name);
  return previous.length === 0 ? 0 : Math.max(...previous.map((c) => c.attempt)) + 1;
}
