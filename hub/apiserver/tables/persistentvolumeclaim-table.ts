// `kubectl get pvc`: STATUS (Terminating once deleted), VOLUME, and once bound the CAPACITY and
// ACCESS MODES of the volume; STORAGECLASS, VOLUMEATTRIBUTESCLASS; VOLUMEMODE with -o wide.
import type { KubeObject } from '../../../api/types.js';
import { recordOf, textOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { accessModesText, attributesClassText, storageText } from './storage-cells.js';
import { ageColumn, column, nameColumn, wideColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

export const persistentVolumeClaimColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Status', 'string', 'Phase of the claim: Pending, Bound or Lost.'),
  column('Volume', 'string', 'The volume bound to the claim.'),
  column('Capacity', 'string', 'Size of the bound volume.'),
  column('Access Modes', 'string', 'How the bound volume can be mounted (RWO, ROX, RWX, RWOP).'),
  column('StorageClass', 'string', 'Class of volume the claim asks for.'),
  column('VolumeAttributesClass', 'string', 'Mutable attributes class of the volume.'),
  ageColumn,
  wideColumn('VolumeMode', 'string', 'Filesystem or Block.'),
];

export function persistentVolumeClaimRow(object: KubeObject, now: Date): PrintedRow {
  const spec = recordOf(object.spec);
  const status = recordOf(object.status);
  const bound = textOr(spec.volumeName, '') !== '';
  return {
    cells: [
      object.metadata.name ?? '',
      object.metadata.deletionTimestamp ? 'Terminating' : textOr(status.phase, ''),
      textOr(spec.volumeName, ''),
      bound ? storageText(status.capacity) : '',
      bound ? accessModesText(status.accessModes) : '',
      textOr(spec.storageClassName, ''),
      attributesClassText(spec.volumeAttributesClassName),
      timeSince(object.metadata.creationTimestamp, now),
      textOr(spec.volumeMode, '<unset>'),
    ],
  };
}
