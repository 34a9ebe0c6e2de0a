// `kubectl get serviceaccounts`: SECRETS counts the legacy token secrets it lists (0 since
// tokens are requested, not stored).
import type { KubeObject } from '../../../api/types.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

export const serviceAccountColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace.'),
  ageColumn,
];

export function serviceAccountRow(object: KubeObject, now: Date): PrintedRow {
  const secrets = Array.isArray(object.secrets) ? object.secrets.length : 0;
  return {
    cells: [object.metadata.name ?? '', secrets, timeSince(object.metadata.creationTimestamp, now)],
  };
}
