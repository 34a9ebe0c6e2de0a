// What the fleet looks like to a SCADA host: the metrics of a gateway (a Sparkplug edge node)
// and of a workload on it (a device), from the hub's objects. Pure; every metric is always
// present with one fixed datatype, so a value change is a DATA message and never a rebirth, and
// unknown values are sent as null (is_null), not as a made-up 0 or "".
// A device's counts are this gateway's share of the workload (its pods bound here): a count of
// the whole workload would change every gateway's device at each pod's change elsewhere, a
// message to every gateway per change in a DaemonSet of 5,000.
import { parseQuantity } from '../../api/quantity.js';
import { DataType } from '../../api/sparkplug/payload.js';
import { sanitiseId } from '../../api/sparkplug/topics.js';
import type { KubeObject } from '../../api/types.js';
import { conditionsOf } from '../edge-sync/conditions.js';
import { agentVersionAnnotation } from '../edge-sync/register-node.js';
import type { WorkloadKey } from '../edge-sync/workload-of.js';
import { type MetricSpec, rebirthMetric } from './edge-node-session.js';

export const nodeConditions = [
  'Ready',
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
];

export const siteLabel = 'flotilla.io/site';
export const zoneLabel = 'topology.kubernetes.io/zone';

/** The edge node id of a gateway: its node name (a DNS subdomain, so nothing to replace). */
export function edgeNodeId(node: string): string {
  return sanitiseId(node);
}

/** The device id of a workload: `<namespace>:<kind>:<name>`, e.g. `default:deployment:web`. */
export function deviceId(key: WorkloadKey): string {
  return sanitiseId(`${key.namespace}:${key.kind}:${key.name}`);
}

function quantity(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    return parseQuantity(value);
  } catch {
    return null;
  }
}

const phase = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;
const isReady = (pod: KubeObject) =>
  conditionsOf(pod.status).some((c) => c.type === 'Ready' && c.status === 'True');

export interface NodeFacts {
  node: KubeObject | undefined;
  pods: KubeObject[];
  /** The gateway's latest heartbeat (ms), if the hub has one. */
  lastSeenMs: number | undefined;
  online: boolean;
}

export function nodeMetrics(facts: NodeFacts): MetricSpec[] {
  const { node, pods } = facts;
  const status = node?.status as {
    capacity?: Record<string, unknown>;
    nodeInfo?: { kubeletVersion?: string };
  };
  const labels = node?.metadata.labels ?? {};
  const conditions = conditionsOf(node?.status);
  const text = (value: string | undefined) => value ?? null;
  const memory = quantity(status?.capacity?.memory);
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  return [
    { name: rebirthMetric, datatype: DataType.Boolean, value: false },
    { name: 'Online', datatype: DataType.Boolean, value: facts.online },
    { name: 'Last Seen', datatype: DataType.DateTime, value: facts.lastSeenMs ?? null },
    { name: 'Properties/Arch', datatype: DataType.String, value: text(labels['kubernetes.io/arch']) },
    {
      name: 'Properties/Agent Version',
      datatype: DataType.String,
      value: text(node?.metadata.annotations?.[agentVersionAnnotation] ?? status?.nodeInfo?.kubeletVersion),
    },
    { name: 'Properties/Site', datatype: DataType.String, value: text(labels[siteLabel]) },
    { name: 'Properties/Zone', datatype: DataType.String, value: text(labels[zoneLabel]) },
    {
      name: 'Pods/Running',
      datatype: DataType.UInt32,
      value: live.filter((p) => phase(p) === 'Running').length,
    },
    { name: 'Pods/Total', datatype: DataType.UInt32, value: live.length },
    { name: 'Capacity/CPU', datatype: DataType.Double, value: quantity(status?.capacity?.cpu) },
    {
      name: 'Capacity/Memory',
      datatype: DataType.UInt64,
      value: memory === null ? null : Math.round(memory),
    },
    ...nodeConditions.map((type) => ({
      name: `Conditions/${type}`,
      datatype: DataType.String,
      value: conditions.find((c) => c.type === type)?.status ?? null,
    })),
  ];
}

export function deviceMetrics(key: WorkloadKey, pods: KubeObject[]): MetricSpec[] {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const ready = live.filter(isReady).length;
  const images = new Set<string>();
  let restarts = 0;
  for (const pod of live) {
    for (const c of (pod.spec as { containers?: { image?: string }[] } | undefined)?.containers ?? []) {
      if (c.image) images.add(c.image);
    }
    const statuses = (pod.status as { containerStatuses?: { restartCount?: number }[] } | undefined)
      ?.containerStatuses;
    for (const s of statuses ?? []) restarts += typeof s.restartCount === 'number' ? s.restartCount : 0;
  }
  return [
    { name: 'Properties/Namespace', datatype: DataType.String, value: key.namespace },
    { name: 'Properties/Kind', datatype: DataType.String, value: key.kind },
    { name: 'Properties/Name', datatype: DataType.String, value: key.name },
    { name: 'Replicas/Desired', datatype: DataType.UInt32, value: live.length },
    { name: 'Replicas/Ready', datatype: DataType.UInt32, value: ready },
    { name: 'Available', datatype: DataType.Boolean, value: live.length > 0 && ready === live.length },
    { name: 'Images', datatype: DataType.String, value: [...images].sort().join(', ') },
    { name: 'Restarts', datatype: DataType.UInt32, value: restarts },
  ];
}
