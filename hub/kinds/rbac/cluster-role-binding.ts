// ClusterRoleBinding (rbac.authorization.k8s.io/v1): grants a ClusterRole across the cluster.
import { defaultBinding, validateClusterRoleBinding } from '../../../api/validation/rbac.js';
import { rbacSchemas } from '../../apiserver/openapi/rbac-schemas.js';
import { bindingColumns, bindingRow } from '../../apiserver/tables/rbac-tables.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const clusterRoleBindingKind: KindDefinition = {
  openapi: rbacSchemas,
  info: resourceInfo({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    resource: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
  }),
  printer: { columns: bindingColumns, row: bindingRow },
  nameFormat: 'pathSegment',
  default: defaultBinding,
  validate: validateClusterRoleBinding,
  protobufMessage: 'k8s.io.api.rbac.v1.ClusterRoleBinding',
};
