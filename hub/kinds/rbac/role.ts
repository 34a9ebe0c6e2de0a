// Role (rbac.authorization.k8s.io/v1): namespaced rules a RoleBinding grants.
import { validateRole } from '../../../api/validation/rbac.js';
import { rbacSchemas } from '../../apiserver/openapi/rbac-schemas.js';
import { roleColumns, roleRow } from '../../apiserver/tables/rbac-tables.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const roleKind: KindDefinition = {
  openapi: rbacSchemas,
  info: resourceInfo({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'roles',
    kind: 'Role',
    namespaced: true,
  }),
  printer: { columns: roleColumns, row: roleRow },
  nameFormat: 'pathSegment',
  validate: validateRole,
  protobufMessage: 'k8s.io.api.rbac.v1.Role',
};
