// `kubectl get controllerrevisions`: CONTROLLER as `kind.group/name` of the owner.
import type { KubeObject, OwnerReference } from '../../../api/types.js';
import { listOf, numberOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

export const controllerRevisionColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Controller', 'string', 'Controller of the object'),
  column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
  ageColumn,
];

export function controllerRevisionRow(object: KubeObject, now: Date): PrintedRow {
  const owner = listOf<OwnerReference>(object.metadata.ownerReferences).find(
    (ref) => ref.controller === true,
  );
  return {
    cells: [
      object.metadata.name ?? '',
      owner ? `${groupKind(owner.apiVersion, owner.kind).toLowerCase()}/${owner.name}` : '<none>',
      numberOr(object.revision, 0),
      timeSince(object.metadata.creationTimestamp, now),
    ],
  };
}

/** `DaemonSet.apps` for apps/v1, `Pod` for the core group, as schema.GroupKind prints. */
function groupKind(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  return slash > 0 ? `${kind}.${apiVersion.slice(0, slash)}` : kind;
}
