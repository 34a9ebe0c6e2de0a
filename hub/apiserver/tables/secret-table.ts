// `kubectl get secrets`: TYPE (Opaque by default) and the number of DATA keys.
import type { KubeObject } from '../../../api/types.js';
import { recordOf, textOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

export const secretColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
  column('Data', 'string', 'Data contains the secret data.'),
  ageColumn,
];

export function secretRow(object: KubeObject, now: Date): PrintedRow {
  // kube-apiserver folds write-only stringData into data; count both in case the store did not.
  const keys = new Set([...Object.keys(recordOf(object.data)), ...Object.keys(recordOf(object.stringData))]);
  return {
    cells: [
      object.metadata.name ?? '',
      textOr(object.type, 'Opaque'),
      keys.size,
      timeSince(object.metadata.creationTimestamp, now),
    ],
  };
}
