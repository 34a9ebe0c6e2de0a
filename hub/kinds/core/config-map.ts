// ConfigMap (v1).
import { validateConfigMap } from '../../../api/validation/config-map.js';
import { coreObjectSchemas } from '../../apiserver/openapi/core-object-schemas.js';
import { configMapColumns, configMapRow } from '../../apiserver/tables/configmap-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const configMapKind: KindDefinition = {
  openapi: coreObjectSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
  }),
  printer: { columns: configMapColumns, row: configMapRow },
  validate: validateConfigMap,
  protobufMessage: 'k8s.io.api.core.v1.ConfigMap',
};
