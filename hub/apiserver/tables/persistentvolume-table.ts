// `kubectl get pv`: CAPACITY, ACCESS MODES, RECLAIM POLICY, STATUS (Terminating once deleted),
// CLAIM (namespace/name),
// STORAGECLASS, VOLUMEATTRIBUTESCLASS, REASON, and VOLUMEMODE with -o wide.
import type { KubeObject } from '../../../api/types.js';
import { recordOf, textOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { accessModesText, attributesClassText, storageText } from './storage-cells.js';
import { ageColumn, column, nameColumn, wideColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

export const persistentVolumeColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Capacity', 'string', 'Size of the volume.'),
  column('Access Modes', 'string', 'How the volume can be mounted (RWO, ROX, RWX, RWOP).'),
  column('Reclaim Policy', 'string', 'What happens to the volume once its claim is gone.'),
  column('Status', 'string', 'Phase of the volume: Available, Bound, Released or Failed.'),
  column('Claim', 'string', 'The claim bound to the volume, as namespace/name.'),
  column('StorageClass', 'string', 'Class of the volume.'),
  column('VolumeAttributesClass', 'string', 'Mutable attributes class of the volume.'),
  column('Reason', 'string', 'Why the volume is in its phase, when it says.'),
  ageColumn,
  wideColumn('VolumeMode', 'string', 'Filesystem or Block.'),
];

export function persistentVolumeRow(object: KubeObject, now: Date): PrintedRow {
  const spec = recordOf(object.spec);
  const status = recordOf(object.status);
  const claim = recordOf(spec.claimRef);
  const claimText = claim.name ? `${textOr(claim.namespace, '')}/${claim.name}` : '';
  return {
    cells: [
      object.metadata.name ?? '',
      storageText(spec.capacity),
      accessModesText(spec.accessModes),
      textOr(spec.persistentVolumeReclaimPolicy, ''),
      object.metadata.deletionTimestamp ? 'Terminating' : textOr(status.phase, ''),
      claimText,
      textOr(spec.storageClassName, ''),
      attributesClassText(spec.volumeAttributesClassName),
      textOr(status.reason, ''),
      timeSince(object.metadata.creationTimestamp, now),
      textOr(spec.volumeMode, '<unset>'),
    ],
  };
}
