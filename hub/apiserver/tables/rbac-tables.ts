// `kubectl get roles|clusterroles` (NAME CREATED AT) and `rolebindings|clusterrolebindings`
// (NAME ROLE AGE, with USERS GROUPS SERVICEACCOUNTS under -o wide), as kube's printers show them.
import type { KubeObject } from '../../../api/types.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn, wideColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

const createdAtColumn = column(
  'Created At',
  'date',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);

export const roleColumns: readonly TableColumnDefinition[] = [nameColumn, createdAtColumn];

export function roleRow(object: KubeObject): PrintedRow {
  const created = object.metadata.creationTimestamp;
  return {
    cells: [
      object.metadata.name ?? '',
      created ? new Date(created).toISOString().replace(/\.\d{3}Z$/, 'Z') : '',
    ],
  };
}

export const bindingColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column(
    'Role',
    'string',
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
  ),
  ageColumn,
  wideColumn('Users', 'string', 'Users in the binding'),
  wideColumn('Groups', 'string', 'Groups in the binding'),
  wideColumn('ServiceAccounts', 'string', 'ServiceAccounts in the binding'),
];

interface BindingView extends KubeObject {
  roleRef?: { kind?: string; name?: string };
  subjects?: { kind?: string; name?: string; namespace?: string }[];
}

export function bindingRow(object: KubeObject, now: Date): PrintedRow {
  const binding = object as BindingView;
  const subjects = Array.isArray(binding.subjects) ? binding.subjects : [];
  const named = (kind: string) =>
    subjects
      .filter((s) => s.kind === kind)
      .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name ?? ''}` : (s.name ?? '')))
      .join(', ');
  return {
    cells: [
      binding.metadata.name ?? '',
      `${binding.roleRef?.kind ?? ''}/${binding.roleRef?.name ?? ''}`,
      timeSince(binding.metadata.creationTimestamp, now),
      named('User'),
      named('Group'),
      named('ServiceAccount'),
    ],
  };
}
