// `kubectl get crds`: NAME CREATED AT, as kube-apiserver prints them (the date, not an age).
import type { KubeObject } from '../../../api/types.js';
import { column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

export const customResourceDefinitionColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Created At', 'date', 'When the CustomResourceDefinition was created.'),
];

export function customResourceDefinitionRow(object: KubeObject): PrintedRow {
  return { cells: [object.metadata.name ?? '', object.metadata.creationTimestamp ?? null] };
}
