// Reports pod statuses: built from the runtime and the agent's records, sent only when changed,
// stamped with the time of observation; a terminal phase (Succeeded, Failed) is kept for good.
// A deleting pod's last status goes out once more with `finalized` (the hub then removes it).

import type { PodStatus } from '../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../api/types.js';
import type { AgentObserver } from '../metrics/agent-observer.js';
import { buildPodStatus } from './build-pod-status.js';
import type { ProbeView } from './container-statuses.js';
import type { PodManagerReports } from './pod-manager-contract.js';
import type { PodRecord } from './pod-records.js';
import type { PodRuntime } from './pod-runtime-view.js';
import { podName, podNamespace, podUid } from './pod-spec.js';

export interface StatusReporterDeps {
  reports: PodManagerReports;
  probes: ProbeView;
  record(uid: string): PodRecord;
  nodeName: string;
  hostIP?: string | undefined;
  runtimeName: string;
  /** Told when a pod this agent started first runs (kubelet_pod_start_duration_seconds). */
  observer?: AgentObserver | undefined;
}

export class PodStatusReporter {
  constructor(private readonly deps: StatusReporterDeps) {}

  build(pod: KubeObject, runtime: PodRuntime | undefined, now: number, networkReady: boolean): PodStatus {
    return buildPodStatus({
      pod,
      runtime,
      record: this.deps.record(podUid(pod)),
      probes: this.deps.probes,
      now,
      nodeName: this.deps.nodeName,
      hostIP: this.deps.hostIP,
      networkReady,
      runtimeName: this.deps.runtimeName,
    });
  }

  /** `resend`: also when unchanged (the hub may show something else meanwhile: after a reconnect). */
  report(
    pod: KubeObject,
    runtime: PodRuntime | undefined,
    now: number,
    networkReady: boolean,
    resend = false,
  ): void {
    const record = this.deps.record(podUid(pod));
    if (record.finalized) return;
    const status = this.build(pod, runtime, now, networkReady);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') record.terminalPhase ??= status.phase;
    if (!resend && JSON.stringify(status) === JSON.stringify(record.lastReported)) return;
    // Started here: reported not yet running first (an adopted pod is Running at its first report).
    const previous = record.lastReported?.phase;
    if (status.phase === 'Running' && previous !== undefined && previous !== 'Running' && record.startTime)
      this.deps.observer?.podStarted?.((now - record.startTime) / 1000);
    record.lastReported = status;
    this.send(pod, status, now, false);
  }

  reportFinal(pod: KubeObject, status: PodStatus, now: number): void {
    const record = this.deps.record(podUid(pod));
    record.finalized = true;
    record.lastReported = status;
    this.send(pod, status, now, true);
  }

  private send(pod: KubeObject, status: PodStatus, observedAt: number, finalized: boolean): void {
    const item = { namespace: podNamespace(pod), name: podName(pod), uid: podUid(pod), observedAt, status };
    this.deps.reports.podStatus(finalized ? { ...item, finalized } : item);
  }
}
