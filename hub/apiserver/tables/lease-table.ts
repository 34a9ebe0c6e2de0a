// `kubectl get leases`: NAME HOLDER AGE.
import type { KubeObject } from '../../../api/types.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface LeaseView extends KubeObject {
  spec?: { holderIdentity?: string };
}

export const leaseColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'),
  ageColumn,
];

export function leaseRow(object: KubeObject, now: Date): PrintedRow {
  const lease = object as LeaseView;
  return {
    cells: [
      lease.metadata.name ?? '',
      lease.spec?.holderIdentity ?? '',
      timeSince(lease.metadata.creationTimestamp, now),
    ],
  };
}
