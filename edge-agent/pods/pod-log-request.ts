// `kubectl logs` on the gateway: picks the container (the only one, or the named one), the
// instance (current, or --previous) the way the kubelet does, and reads its CRI log file, whole
// or, for `kubectl logs -f`, from a byte offset.
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { containerStatus, type ProbeView } from './container-statuses.js';
import { type CriEntry, LogsError, logContainerId, readCriLog, readCriLogFrom } from './pod-logs.js';
import type { PodRecord } from './pod-records.js';
import { groupByPod } from './pod-runtime-view.js';
import { allContainersOf, appContainersOf, podUid } from './pod-spec.js';

export interface LogRequest {
  namespace: string;
  name: string;
  container: string | undefined;
  tailLines?: number;
  previous?: boolean;
  sinceSeconds?: number;
  timestamps?: boolean;
}

/** New entries of a followed log, and whether the instance that wrote them still runs. */
export interface LogSlice {
  entries: CriEntry[];
  offset: number;
  /** The container instance the entries come from; a restart starts a new instance and file. */
  containerId: string;
  running: boolean;
}

export interface LogDeps {
  runtime: ContainerRuntime;
  record(uid: string): PodRecord;
  probes: ProbeView;
  runtimeName: string;
  podDir(uid: string): string;
}

export async function readPodLogs(
  pod: KubeObject | undefined,
  request: LogRequest,
  deps: LogDeps,
  now = Date.now(),
): Promise<string> {
  const { path } = await locatePodLog(pod, request, deps);
  return readCriLog(path, {
    ...(request.tailLines !== undefined ? { tailLines: request.tailLines } : {}),
    ...(request.sinceSeconds !== undefined ? { sinceMs: now - request.sinceSeconds * 1000 } : {}),
    ...(request.timestamps ? { timestamps: true } : {}),
  });
}

/** The entries written to the container's current log after byte `offset`. */
export async function readPodLogsFrom(
  pod: KubeObject | undefined,
  request: LogRequest,
  offset: number,
  deps: LogDeps,
): Promise<LogSlice> {
  // Located before reading, so once it no longer runs the read below drains the whole file.
  const { path, containerId, running } = await locatePodLog(pod, request, deps);
  return { ...(await readCriLogFrom(path, offset)), containerId, running };
}

async function locatePodLog(
  pod: KubeObject | undefined,
  request: LogRequest,
  deps: LogDeps,
): Promise<{ path: string; containerId: string; running: boolean }> {
  if (!pod) throw new LogsError(`pods "${request.name}" not found`);
  const app = appContainersOf(pod);
  const name = request.container ?? (app.length === 1 ? app[0]?.name : undefined);
  if (name === undefined) {
    const names = app.map((c) => c.name).join(' ');
    throw new LogsError(
      `a container name must be specified for pod ${request.name}, choose one of: [${names}]`,
    );
  }
  const found = allContainersOf(pod).find((c) => c.container.name === name);
  if (!found) throw new LogsError(`container ${name} is not valid for pod ${request.name}`);
  const { container: spec, kind } = found;
  const uid = podUid(pod);
  const containers = await deps.runtime.listContainers();
  const runtime = groupByPod({ sandboxes: [], containers }).get(uid);
  const status = containerStatus(spec, kind, {
    pod,
    runtime,
    reasons: deps.record(uid).reasons,
    probes: deps.probes,
    runtimeName: deps.runtimeName,
  });
  const id = logContainerId(status, request.name, request.previous === true);
  const instance = runtime?.containers.find((c) => c.id === id);
  const path = instance?.logPath || join(deps.podDir(uid), 'logs', name, `${instance?.attempt ?? 0}.log`);
  const running = request.previous !== true && status.state.running !== undefined && instance !== undefined;
  return { path, containerId: id, running };
}
