// `kubectl get pods` columns and the STATUS/READY/RESTARTS logic of kube-apiserver's pod
// printer: the pod reason, overridden by the first unfinished init container
// (`Init:1/2`, `Init:CrashLoopBackOff`), then by container waiting/terminated reasons
// (`CrashLoopBackOff`, `ContainerCreating`, `Error`), then `Terminating` / `Unknown`. STATUS is
// one word, as in Kubernetes (scripts split the table on whitespace): how old it is goes in
// LAST-SEEN (Flotilla's own, after AGE so the columns kubectl users know keep their places), the
// time since the pod's gateway was last heard from, as in `kubectl get nodes`. A gateway's agent
// reports every pod change while it is connected, so what STATUS shows was true then.
import type { KubeObject } from '../../../api/types.js';
import { listOf, numberOr } from './field-readers.js';
import { humanDuration, timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn, wideColumn } from './table-columns.js';
import type { TableLookups } from './table-lookups.js';
import type { PrintedRow, TableColumnDefinition, TableRowCondition } from './table-types.js';

interface ContainerStateView {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatusView {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateView;
  lastState?: ContainerStateView;
}

interface ConditionView {
  type?: string;
  status?: string;
  reason?: string;
}

interface PodView extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: unknown[];
    initContainers?: { name?: string; restartPolicy?: string }[];
    readinessGates?: { conditionType?: string }[];
  };
  status?: {
    phase?: string;
    reason?: string;
    podIP?: string;
    podIPs?: { ip?: string }[];
    nominatedNodeName?: string;
    conditions?: ConditionView[];
    initContainerStatuses?: ContainerStatusView[];
    containerStatuses?: ContainerStatusView[];
  };
}

export const podColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  ageColumn,
  column(
    'Last-Seen',
    'string',
    "Time since the pod's gateway was last heard from (its node's last heartbeat): how old the status shown is.",
  ),
  wideColumn('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster.'),
  wideColumn('Node', 'string', 'NodeName indicates in which node this pod is scheduled.'),
  wideColumn(
    'Nominated Node',
    'string',
    'nominatedNodeName is set when this pod preempts other pods on the node.',
  ),
  wideColumn(
    'Readiness Gates',
    'string',
    'If specified, all readiness gates will be evaluated for pod readiness.',
  ),
];

/** Restart count and the time of the most recent restart (0 when unknown). */
interface Restarts {
  count: number;
  lastAt: number;
}

/** What a pod's row shows that does not depend on the time, worked out once per stored version. */
interface PodRowParts {
  name: string;
  ready: string;
  reason: string;
  restarts: Restarts;
  created: string | undefined;
  ip: string;
  node: string;
  nominated: string;
  gates: string;
  completed?: TableRowCondition | undefined;
}

// Stored objects are frozen and replaced on every write, so parts can be kept against the object:
// `kubectl get pods -A` over 100,000 pods works out only the pods that changed since the last get.
const partsCache = new WeakMap<object, PodRowParts>();

// LAST-SEEN is the same for every pod of one gateway: worked out once per node and listing.
const lastSeenCache = new WeakMap<TableLookups, Map<string, string>>();

function lastSeen(node: string, now: Date, lookups: TableLookups): string {
  if (node === '<none>') return '<none>';
  let seen = lastSeenCache.get(lookups);
  if (seen === undefined) {
    seen = new Map();
    lastSeenCache.set(lookups, seen);
  }
  let text = seen.get(node);
  if (text === undefined) {
    text = timeSince(lookups.leaseRenewTime?.(node), now);
    seen.set(node, text);
  }
  return text;
}

export function podRow(object: KubeObject, now: Date, lookups: TableLookups = {}): PrintedRow {
  let parts = partsCache.get(object);
  if (parts === undefined) {
    parts = podRowParts(object as PodView);
    if (Object.isFrozen(object)) partsCache.set(object, parts);
  }
  const { restarts } = parts;
  const restartsText =
    restarts.count !== 0 && restarts.lastAt !== 0
      ? `${restarts.count} (${humanDuration(now.getTime() - restarts.lastAt)} ago)`
      : String(restarts.count);
  const row: PrintedRow = {
    cells: [
      parts.name,
      parts.ready,
      parts.reason,
      restartsText,
      timeSince(parts.created, now),
      lastSeen(parts.node, now, lookups),
      parts.ip,
      parts.node,
      parts.nominated,
      parts.gates,
    ],
  };
  if (parts.completed) row.conditions = [{ ...parts.completed }];
  return row;
}

function podRowParts(pod: PodView): PodRowParts {
  const status = pod.status ?? {};
  const conditions = listOf<ConditionView>(status.conditions);
  // kube-apiserver defaults phase to Pending on create; an undefaulted object prints the same.
  const phase = status.phase || 'Pending';
  let reason = status.reason || phase;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const init = initContainerProgress(pod);
  let ready = init.sidecarsReady;
  let restarts: Restarts = init.restarts;
  if (init.reason !== undefined) reason = init.reason;

  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (init.reason === undefined || initialized) {
    restarts = { ...init.sidecarRestarts };
    let hasRunning = false;
    // Walk backwards so the first container's reason wins, as kubectl does.
    for (const container of [...listOf<ContainerStatusView>(status.containerStatuses)].reverse()) {
      addRestarts(restarts, container);
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = exitText('', terminated);
      else if (container.ready && container.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose containers partly completed but one still runs is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed')
    reason = 'Terminating';

  const total = listOf(pod.spec?.containers).length + init.sidecarCount;
  return {
    name: pod.metadata.name ?? '',
    ready: `${ready}/${total}`,
    reason,
    restarts,
    created: pod.metadata.creationTimestamp,
    ip: listOf<{ ip?: string }>(status.podIPs)[0]?.ip || status.podIP || '<none>',
    node: pod.spec?.nodeName || '<none>',
    nominated: status.nominatedNodeName || '<none>',
    gates: readinessGates(pod, conditions),
    completed: completedCondition(phase),
  };
}

interface InitProgress {
  /** Set while an init container is unfinished; the STATUS cell. */
  reason?: string;
  restarts: Restarts;
  sidecarRestarts: Restarts;
  sidecarCount: number;
  sidecarsReady: number;
}

function initContainerProgress(pod: PodView): InitProgress {
  const specs = listOf<{ name?: string; restartPolicy?: string }>(pod.spec?.initContainers);
  // Init containers with restartPolicy Always are sidecars: they count as regular containers.
  const sidecars = new Set(specs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const progress: InitProgress = {
    restarts: { count: 0, lastAt: 0 },
    sidecarRestarts: { count: 0, lastAt: 0 },
    sidecarCount: sidecars.size,
    sidecarsReady: 0,
  };
  for (const [index, container] of listOf<ContainerStatusView>(pod.status?.initContainerStatuses).entries()) {
    const sidecar = sidecars.has(container.name);
    addRestarts(progress.restarts, container);
    if (sidecar) addRestarts(progress.sidecarRestarts, container);
    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && numberOr(terminated.exitCode, 0) === 0) continue;
    if (sidecar && container.started) {
      if (container.ready) progress.sidecarsReady++;
      continue;
    }
    if (terminated)
      progress.reason = terminated.reason ? `Init:${terminated.reason}` : exitText('Init:', terminated);
    else if (waiting?.reason && waiting.reason !== 'PodInitializing')
      progress.reason = `Init:${waiting.reason}`;
    else progress.reason = `Init:${index}/${specs.length}`;
    break;
  }
  return progress;
}

function addRestarts(restarts: Restarts, container: ContainerStatusView): void {
  restarts.count += numberOr(container.restartCount, 0);
  const finishedAt = Date.parse(container.lastState?.terminated?.finishedAt ?? '');
  if (!Number.isNaN(finishedAt) && finishedAt > restarts.lastAt) restarts.lastAt = finishedAt;
}

function exitText(prefix: string, terminated: { signal?: number; exitCode?: number }): string {
  return terminated.signal
    ? `${prefix}Signal:${terminated.signal}`
    : `${prefix}ExitCode:${numberOr(terminated.exitCode, 0)}`;
}

function readinessGates(pod: PodView, conditions: ConditionView[]): string {
  const gates = listOf<{ conditionType?: string }>(pod.spec?.readinessGates);
  if (gates.length === 0) return '<none>';
  const passed = gates.filter(
    (gate) => conditions.find((c) => c.type === gate.conditionType)?.status === 'True',
  ).length;
  return `${passed}/${gates.length}`;
}

// Row conditions let clients tell finished pods apart without parsing cells.
function completedCondition(phase: string): TableRowCondition | undefined {
  if (phase === 'Succeeded') {
    return {
      type: 'Completed',
      status: 'True',
      reason: 'Succeeded',
      message: 'The pod has completed successfully.',
    };
  }
  if (phase === 'Failed')
    return { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' };
  return undefined;
}
