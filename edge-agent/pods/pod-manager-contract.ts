// The seam between the agent's hub link and its kubelet half (pod sync). The hub link feeds the
// desired state it received (or loaded from local state when the hub is unreachable); the pod
// manager runs pods through the ContainerRuntime and reports what it observes.
import type { DesiredState } from '../../api/mqtt/payloads/desired-state.js';
import type { PodStatusItem } from '../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../api/types.js';
import type { LogSlice } from './pod-log-request.js';

export interface PodEventReport {
  /** The pod (namespace/name/uid) the event is about. */
  involvedObject: { kind: 'Pod'; namespace: string; name: string; uid: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  observedAt: number;
  /** The same event seen again within 10 minutes: its count in the series, and when that began. */
  count?: number;
  firstObservedAt?: number;
}

export interface PodManagerReports {
  /** A pod's status changed (phase, conditions, container states, IPs, restarts...). */
  podStatus(item: PodStatusItem): void;
  /** Kubelet-style events: Pulled, Created, Started, Killing, BackOff, Unhealthy, Failed... */
  event(event: PodEventReport): void;
}

export interface PodManagerApi {
  /** Level-based: the whole desired state replaces the previous one. */
  setDesired(state: DesiredState): void;
  /** Runs pod sync (periodic, plus immediately after setDesired) until stop(). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Pods the agent currently runs, with their last observed status (for node status/summary). */
  runningPods(): { pod: KubeObject; status: PodStatusItem['status'] }[];
  /** Reads a container's log (CRI log file), for the logs request route. */
  readLogs(
    namespace: string,
    name: string,
    container: string | undefined,
    options: LogReadOptions,
  ): Promise<string>;
  /** For `kubectl logs -f`: what the container's current log gained after byte `offset`. */
  readLogsFrom(
    namespace: string,
    name: string,
    container: string | undefined,
    offset: number,
  ): Promise<LogSlice>;
}

export interface LogReadOptions {
  tailLines?: number;
  previous?: boolean;
  sinceSeconds?: number;
  timestamps?: boolean;
}
