// Kinds without a printer of their own print NAME and AGE.
import type { KubeObject } from '../../../api/types.js';
import { timeSince } from './human-duration.js';
import { ageColumn, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

export const defaultColumns: readonly TableColumnDefinition[] = [nameColumn, ageColumn];

export function defaultRow(object: KubeObject, now: Date): PrintedRow {
  return { cells: [object.metadata.name ?? '', timeSince(object.metadata.creationTimestamp, now)] };
}
