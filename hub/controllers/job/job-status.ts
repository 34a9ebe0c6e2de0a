// The Job status after a sync: pod counts from what is there now, and the terminal condition
// once a target condition is set and no pod of the Job is still running or uncounted.
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import type { Pod } from '../objects/kinds.js';
import { isPodActive, isPodReady, isPodTerminal } from '../objects/pod-conditions.js';
import { terminalFor, withCondition } from './job-conditions.js';
import { hasTrackingFinalizer } from './job-tracking.js';
import type { JobStatusView } from './job-view.js';

export function finishStatus(planned: JobStatusView, pods: Pod[], now: Date): JobStatusView {
  const active = pods.filter(isPodActive);
  const terminating = pods.filter((p) => p.metadata.deletionTimestamp !== undefined && !isPodTerminal(p));
  const status: JobStatusView = {
    ...planned,
    active: active.length,
    ready: active.filter(isPodReady).length,
    terminating: terminating.length,
  };
  const terminal = terminalFor(status.conditions ?? []);
  const settled = active.length === 0 && terminating.length === 0 && !pods.some(hasTrackingFinalizer);
  const uncounted = status.uncountedTerminatedPods;
  const allCounted = (uncounted?.succeeded ?? []).length === 0 && (uncounted?.failed ?? []).length === 0;
  if (terminal && settled && allCounted && !status.conditions?.some((c) => c.type === terminal.type)) {
    const nowText = kubeTime(now);
    const why = { reason: terminal.from.reason ?? '', message: terminal.from.message ?? '' };
    status.conditions = withCondition(status.conditions ?? [], terminal.type, 'True', why, nowText);
    if (terminal.type === 'Complete') status.completionTime = nowText;
  }
  return status;
}
