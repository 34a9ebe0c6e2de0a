// RollingUpdate for a DaemonSet (https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/),
// pure. Without surge, old pods are deleted while at most maxUnavailable nodes lack an
// available pod, and the manage pass recreates them; with maxSurge, a new pod starts next to
// the old one, at most maxSurge at a time, and the old one goes once the new one is available.
import type { KubeObject } from '../../../api/types.js';
import { type IntOrPercent, scaledValue } from '../objects/int-or-percent.js';
import type { Pod, PodSpecView } from '../objects/kinds.js';
import { isPodAvailable } from '../objects/pod-conditions.js';
import { labels } from '../objects/well-known.js';

export interface DaemonSetView extends KubeObject {
  spec?: {
    template?: { spec?: PodSpecView };
    minReadySeconds?: number;
    updateStrategy?: {
      type?: string;
      rollingUpdate?: { maxUnavailable?: IntOrPercent; maxSurge?: IntOrPercent };
    };
  };
}

export function isUpdated(pod: Pod, hash: string): boolean {
  return pod.metadata.labels?.[labels.controllerRevisionHash] === hash;
}

export function allowsSurge(ds: DaemonSetView): boolean {
  const surge = ds.spec?.updateStrategy?.rollingUpdate?.maxSurge;
  return surge !== undefined && surge !== 0 && surge !== '0%' && surge !== '0';
}

export interface RollingNode {
  name: string;
  /** The node's pods that stay after the manage pass, oldest first. */
  live: Pod[];
}

export interface RolloutPlan {
  deletePods: string[];
  createOn: string[];
}

export function planRollingUpdate(
  ds: DaemonSetView,
  nodes: RollingNode[],
  hash: string,
  now: Date,
): RolloutPlan {
  const rolling = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (pod: Pod) => isPodAvailable(pod, minReady, now);
  const pairs = nodes.map(({ name, live }) => ({
    name,
    updated: live.find((p) => isUpdated(p, hash)),
    old: live.find((p) => !isUpdated(p, hash)),
  }));
  if (allowsSurge(ds))
    return surgeUpdate(pairs, scaledValue(rolling.maxSurge, nodes.length, true), available);
  let maxUnavailable = scaledValue(rolling.maxUnavailable ?? 1, nodes.length, true);
  if (maxUnavailable <= 0) maxUnavailable = 1;
  let unavailable = 0;
  const replaceNow: string[] = [];
  const candidates: string[] = [];
  for (const { updated, old } of pairs) {
    if (!old) {
      if (!updated || !available(updated)) unavailable++;
    } else if (updated) {
      unavailable++;
    } else if (!available(old)) {
      // Nothing is lost by replacing a pod that is not serving anyway.
      replaceNow.push(old.metadata.name!);
      unavailable++;
    } else {
      candidates.push(old.metadata.name!);
    }
  }
  const budget = Math.max(0, maxUnavailable - unavailable);
  return { deletePods: [...replaceNow, ...candidates.slice(0, budget)], createOn: [] };
}

type Pair = { name: string; updated: Pod | undefined; old: Pod | undefined };

function surgeUpdate(pairs: Pair[], maxSurge: number, available: (pod: Pod) => boolean): RolloutPlan {
  let surging = 0;
  const deletePods: string[] = [];
  const createNow: string[] = [];
  const candidates: string[] = [];
  for (const { name, updated, old } of pairs) {
    if (!old) continue;
    if (!updated) {
      if (available(old)) candidates.push(name);
      else createNow.push(name);
    } else if (available(updated)) {
      deletePods.push(old.metadata.name!);
    } else {
      surging++;
    }
  }
  const budget = Math.max(0, maxSurge - surging);
  return { deletePods, createOn: [...createNow, ...candidates.slice(0, budget)] };
}
