// PersistentVolume (v1): cluster-wide storage that claims bind to (hub/controllers/volume/).
import { defaultPersistentVolume } from '../../../api/defaults/storage-defaults.js';
import {
  validatePersistentVolume,
  validatePersistentVolumeStatus,
} from '../../../api/validation/persistent-volume.js';
import { storageSchemas } from '../../apiserver/openapi/storage-schemas.js';
import {
  persistentVolumeColumns,
  persistentVolumeRow,
} from '../../apiserver/tables/persistentvolume-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const persistentVolumeKind: KindDefinition = {
  openapi: storageSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'persistentvolumes',
    kind: 'PersistentVolume',
    namespaced: false,
    shortNames: ['pv'],
    subresources: ['status'],
  }),
  clearStatusOnCreate: true,
  printer: { columns: persistentVolumeColumns, row: persistentVolumeRow },
  default: defaultPersistentVolume,
  validate: validatePersistentVolume,
  validateStatus: validatePersistentVolumeStatus,
};
