// Kubelet-style events about pods, reported with the time they were observed. Pods gone from
// the desired state (being collected) are named from their runtime labels. A repeated event is
// reported as the next count of its series (event-series.ts), as the kubelet's recorder does.
import type { Clock } from '../../api/clock.js';
import type { KubeObject } from '../../api/types.js';
import { EventSeries, seriesKey } from './event-series.js';
import type { PodManagerReports } from './pod-manager-contract.js';
import type { PodRuntime } from './pod-runtime-view.js';
import { podName, podNamespace } from './pod-spec.js';
import { PodNameLabel, PodNamespaceLabel } from './runtime-labels.js';

export type EventType = 'Normal' | 'Warning';
export type EmitEvent = (type: EventType, reason: string, message: string) => void;

export class PodEvents {
  private readonly names = new Map<string, { namespace: string; name: string }>();
  private readonly series = new EventSeries();

  constructor(
    private readonly reports: PodManagerReports,
    private readonly clock: Clock,
    private readonly desiredPod: (uid: string) => KubeObject | undefined,
  ) {}

  for(uid: string): EmitEvent {
    return (type, reason, message) => this.emit(uid, type, reason, message);
  }

  emit(uid: string, type: EventType, reason: string, message: string): void {
    const pod = this.desiredPod(uid);
    const names = pod ? { namespace: podNamespace(pod), name: podName(pod) } : this.names.get(uid);
    if (!names) return;
    const observedAt = this.clock.now().getTime();
    const { count, firstObservedAt } = this.series.next(seriesKey(uid, type, reason, message), observedAt);
    this.reports.event({
      involvedObject: { kind: 'Pod', ...names, uid },
      type,
      reason,
      message,
      observedAt,
      ...(count > 1 ? { count, firstObservedAt } : {}),
    });
  }

  remember(grouped: Map<string, PodRuntime>): void {
    for (const [uid, runtime] of grouped) {
      const labels = runtime.sandboxes[0]?.labels ?? runtime.containers[0]?.labels ?? {};
      const name = labels[PodNameLabel];
      if (name) this.names.set(uid, { namespace: labels[PodNamespaceLabel] ?? 'default', name });
    }
  }

  forget(uid: string): void {
    this.names.delete(uid);
    this.series.forget(uid);
  }

  known(): string[] {
    return [...this.names.keys()];
  }
}
