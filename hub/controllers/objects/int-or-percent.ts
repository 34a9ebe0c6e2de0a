// Fields that hold either a count or a percentage of some total (intstr.IntOrString), such as
// maxSurge and maxUnavailable of Deployments and DaemonSets.

export type IntOrPercent = number | string;

/**
 * An int-or-percent as a count of `total` (kube's intstr.GetScaledValueFromIntOrPercent);
 * percentages round up or down. Absent, or a string that is not a percentage, counts as 0
 * (validation refuses those strings before they reach a controller).
 */
export function scaledValue(value: IntOrPercent | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const percent = Number.parseInt(value, 10);
  if (!value.endsWith('%') || Number.isNaN(percent)) return 0;
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
