// Taints and tolerations (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/),
// with the matching rules of kube's Toleration.ToleratesTaint.
import type { Taint, Toleration } from './types.js';

/** An empty effect matches every effect; an empty key with Exists matches every taint. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator || 'Equal';
  if (operator === 'Exists') return true;
  return operator === 'Equal' && (toleration.value ?? '') === (taint.value ?? '');
}

export function tolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const toleration of tolerations) if (toleratesTaint(toleration, taint)) return true;
  return false;
}

/** The first taint with one of `effects` that no toleration matches (FindMatchingUntoleratedTaint). */
export function firstUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: readonly string[],
): Taint | undefined {
  for (const taint of taints) {
    if (effects.includes(taint.effect) && !tolerated(tolerations, taint)) return taint;
  }
  return undefined;
}

/** TaintToleration's filter reason, `node(s) had untolerated taint {key: value}`. */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}
