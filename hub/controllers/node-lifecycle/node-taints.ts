// The taints a node's conditions call for (kube's TaintNodesByCondition and the NoExecute
// taints of the node lifecycle controller), pure: Ready=False → not-ready, Ready=Unknown →
// unreachable, each as NoSchedule and NoExecute; pressure conditions, an unavailable network
// and cordoning → NoSchedule. NoExecute taints carry timeAdded, which tolerationSeconds count from.

import { findCondition } from '../objects/conditions.js';
import type { Condition, Node, Taint } from '../objects/kinds.js';
import { taintKeys } from '../objects/well-known.js';

const managedKeys = new Set<string>(Object.values(taintKeys));

function wanted(conditions: readonly Condition[] | undefined, unschedulable: boolean): Taint[] {
  const taints: Taint[] = [];
  const both = (key: string) => taints.push({ key, effect: 'NoSchedule' }, { key, effect: 'NoExecute' });
  const ready = findCondition(conditions, 'Ready')?.status;
  if (ready === 'False') both(taintKeys.notReady);
  if (ready === 'Unknown') both(taintKeys.unreachable);
  const pressure: [string, string][] = [
    ['MemoryPressure', taintKeys.memoryPressure],
    ['DiskPressure', taintKeys.diskPressure],
    ['PIDPressure', taintKeys.pidPressure],
    ['NetworkUnavailable', taintKeys.networkUnavailable],
  ];
  for (const [type, key] of pressure) {
    if (findCondition(conditions, type)?.status === 'True') taints.push({ key, effect: 'NoSchedule' });
  }
  if (unschedulable) taints.push({ key: taintKeys.unschedulable, effect: 'NoSchedule' });
  return taints;
}

/** The node's taints: its own ones untouched, the managed ones as its conditions want them. */
export function desiredTaints(
  node: Node,
  conditions: readonly Condition[] | undefined,
  now: string,
): Taint[] {
  const current = node.spec?.taints ?? [];
  const kept = current.filter((t) => !managedKeys.has(t.key));
  const managed = wanted(conditions, node.spec?.unschedulable === true).map((taint) => {
    const same = current.find((t) => t.key === taint.key && t.effect === taint.effect);
    if (taint.effect !== 'NoExecute') return same ?? taint;
    return { ...taint, timeAdded: same?.timeAdded ?? now };
  });
  return [...kept, ...managed];
}

/** Same taints regardless of order. */
export function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  const key = (t: Taint) => JSON.stringify([t.key, t.value ?? '', t.effect, t.timeAdded ?? '']);
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}
