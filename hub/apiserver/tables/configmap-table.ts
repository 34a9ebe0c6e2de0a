// `kubectl get configmaps`: DATA counts both `data` and `binaryData` keys.
import type { KubeObject } from '../../../api/types.js';
import { recordOf } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

export const configMapColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Data', 'string', 'Data contains the configuration data.'),
  ageColumn,
];

export function configMapRow(object: KubeObject, now: Date): PrintedRow {
  const keys = Object.keys(recordOf(object.data)).length + Object.keys(recordOf(object.binaryData)).length;
  return { cells: [object.metadata.name ?? '', keys, timeSince(object.metadata.creationTimestamp, now)] };
}
