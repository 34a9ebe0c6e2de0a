// PersistentVolumeClaim (v1): a namespace's request for storage, bound to a PersistentVolume
// by the volume binder (hub/controllers/volume/).
import { defaultPersistentVolumeClaim } from '../../../api/defaults/storage-defaults.js';
import { validatePersistentVolumeClaim } from '../../../api/validation/persistent-volume-claim.js';
import { validatePersistentVolumeClaimStatus } from '../../../api/validation/status.js';
import { storageSchemas } from '../../apiserver/openapi/storage-schemas.js';
import {
  persistentVolumeClaimColumns,
  persistentVolumeClaimRow,
} from '../../apiserver/tables/persistentvolumeclaim-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const persistentVolumeClaimKind: KindDefinition = {
  openapi: storageSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    subresources: ['status'],
  }),
  clearStatusOnCreate: true,
  printer: { columns: persistentVolumeClaimColumns, row: persistentVolumeClaimRow },
  default: defaultPersistentVolumeClaim,
  validate: validatePersistentVolumeClaim,
  validateStatus: validatePersistentVolumeClaimStatus,
};
