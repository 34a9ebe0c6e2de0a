// RoleBinding (rbac.authorization.k8s.io/v1): grants a Role or ClusterRole within its namespace.
import { defaultBinding, validateRoleBinding } from '../../../api/validation/rbac.js';
import { rbacSchemas } from '../../apiserver/openapi/rbac-schemas.js';
import { bindingColumns, bindingRow } from '../../apiserver/tables/rbac-tables.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const roleBindingKind: KindDefinition = {
  openapi: rbacSchemas,
  info: resourceInfo({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
  }),
  printer: { columns: bindingColumns, row: bindingRow },
  nameFormat: 'pathSegment',
  default: defaultBinding,
  validate: validateRoleBinding,
  protobufMessage: 'k8s.io.api.rbac.v1.RoleBinding',
};
