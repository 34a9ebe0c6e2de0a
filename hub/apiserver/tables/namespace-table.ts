// `kubectl get namespaces`: NAME STATUS AGE.
import type { KubeObject } from '../../../api/types.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface NamespaceView extends KubeObject {
  status?: { phase?: string };
}

export const namespaceColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Status', 'string', 'The status of the namespace'),
  ageColumn,
];

export function namespaceRow(object: KubeObject, now: Date): PrintedRow {
  const namespace = object as NamespaceView;
  // kube-apiserver always sets the phase; an object stored without one is Active until deleted.
  const phase = namespace.status?.phase || (namespace.metadata.deletionTimestamp ? 'Terminating' : 'Active');
  return {
    cells: [namespace.metadata.name ?? '', phase, timeSince(namespace.metadata.creationTimestamp, now)],
  };
}
