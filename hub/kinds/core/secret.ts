// Secret (v1).
import { defaultSecret } from '../../../api/defaults/core-defaults.js';
import { validateSecret } from '../../../api/validation/secret.js';
import { coreObjectSchemas } from '../../apiserver/openapi/core-object-schemas.js';
import { secretHooks } from '../../apiserver/registry/secret-hooks.js';
import { secretColumns, secretRow } from '../../apiserver/tables/secret-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const secretKind: KindDefinition = {
  openapi: coreObjectSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'secrets',
    kind: 'Secret',
    namespaced: true,
  }),
  fieldLabels: ['type'],
  printer: { columns: secretColumns, row: secretRow },
  default: defaultSecret,
  validate: validateSecret,
  hooks: () => secretHooks,
  protobufMessage: 'k8s.io.api.core.v1.Secret',
};
