// ClusterRole (rbac.authorization.k8s.io/v1): cluster-wide rules, or rules gathered from other
// ClusterRoles by label (aggregationRule; hub/controllers/rbac/clusterrole-aggregation.ts).
import { validateClusterRole } from '../../../api/validation/rbac.js';
import { rbacSchemas } from '../../apiserver/openapi/rbac-schemas.js';
import { roleColumns, roleRow } from '../../apiserver/tables/rbac-tables.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const clusterRoleKind: KindDefinition = {
  openapi: rbacSchemas,
  info: resourceInfo({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'clusterroles',
    kind: 'ClusterRole',
    namespaced: false,
  }),
  printer: { columns: roleColumns, row: roleRow },
  nameFormat: 'pathSegment',
  validate: validateClusterRole,
  protobufMessage: 'k8s.io.api.rbac.v1.ClusterRole',
};
