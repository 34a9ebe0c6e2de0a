// Namespace (v1).
import { defaultNamespace } from '../../../api/defaults/core-defaults.js';
import { validateNamespace, validateNamespaceStatus } from '../../../api/validation/namespace.js';
import { coreObjectSchemas } from '../../apiserver/openapi/core-object-schemas.js';
import { namespaceHooks } from '../../apiserver/registry/namespace-hooks.js';
import { namespaceColumns, namespaceRow } from '../../apiserver/tables/namespace-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const namespaceKind: KindDefinition = {
  openapi: coreObjectSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
  }),
  fieldLabels: ['status.phase'],
  printer: { columns: namespaceColumns, row: namespaceRow },
  default: defaultNamespace,
  validate: validateNamespace,
  validateStatus: validateNamespaceStatus,
  nameFormat: 'label',
  hooks: () => namespaceHooks,
  protobufMessage: 'k8s.io.api.core.v1.Namespace',
};
