// `kubectl get nodes`: STATUS is Ready/NotReady from the Ready condition (Unknown without
// one) plus ",SchedulingDisabled" when cordoned; ROLES come from
// `node-role.kubernetes.io/<role>` labels and the older `kubernetes.io/role=<role>` label.
// LAST-SEEN (Flotilla's own) is the time since the gateway's last heartbeat, its Lease's
// renewTime: how stale everything the hub shows about an offline gateway is.
import type { KubeObject } from '../../../api/types.js';
import { listOf, recordOf, textOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn, wideColumn } from './table-columns.js';
import type { TableLookups } from './table-lookups.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface NodeView extends KubeObject {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: { type?: string; status?: string }[];
    addresses?: { type?: string; address?: string }[];
    nodeInfo?: {
      kubeletVersion?: string;
      osImage?: string;
      kernelVersion?: string;
      containerRuntimeVersion?: string;
    };
  };
}

const addressesDescription =
  'List of addresses reachable to the node. Queried from cloud provider, if available.';

export const nodeColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Status', 'string', 'The status of the node'),
  column('Roles', 'string', 'The roles of the node'),
  ageColumn,
  column('Version', 'string', 'Kubelet Version reported by the node.'),
  column('Last-Seen', 'string', "Time since the node's last heartbeat (the renewTime of its Lease)."),
  wideColumn('Internal-IP', 'string', addressesDescription),
  wideColumn('External-IP', 'string', addressesDescription),
  wideColumn(
    'OS-Image',
    'string',
    'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
  ),
  wideColumn(
    'Kernel-Version',
    'string',
    "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
  ),
  wideColumn(
    'Container-Runtime',
    'string',
    'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
  ),
];

const rolePrefix = 'node-role.kubernetes.io/';
const legacyRoleLabel = 'kubernetes.io/role';

export function nodeRow(object: KubeObject, now: Date, lookups: TableLookups = {}): PrintedRow {
  const node = object as NodeView;
  const info = node.status?.nodeInfo ?? {};
  const roles = nodeRoles(node.metadata.labels);
  return {
    cells: [
      node.metadata.name ?? '',
      nodeStatus(node),
      roles.length > 0 ? roles.join(',') : '<none>',
      timeSince(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? '',
      timeSince(lookups.leaseRenewTime?.(node.metadata.name ?? ''), now),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      textOr(info.osImage, '<unknown>'),
      textOr(info.kernelVersion, '<unknown>'),
      textOr(info.containerRuntimeVersion, '<unknown>'),
    ],
  };
}

function nodeStatus(node: NodeView): string {
  const ready = listOf<{ type?: string; status?: string }>(node.status?.conditions).find(
    (c) => c.type === 'Ready',
  );
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Sorted, de-duplicated role names. */
export function nodeRoles(labels: unknown): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(recordOf<string>(labels))) {
    if (key.startsWith(rolePrefix) && key.length > rolePrefix.length) roles.add(key.slice(rolePrefix.length));
    else if (key === legacyRoleLabel && value) roles.add(value);
  }
  return [...roles].sort();
}

function nodeAddress(node: NodeView, type: string): string {
  const found = listOf<{ type?: string; address?: string }>(node.status?.addresses).find(
    (a) => a.type === type,
  );
  return found?.address ?? '<none>';
}
