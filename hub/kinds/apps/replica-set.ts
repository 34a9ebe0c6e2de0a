// ReplicaSet (apps/v1).
import { defaultReplicaSet } from '../../../api/defaults/workload-defaults.js';
import { validateReplicaSet } from '../../../api/validation/replica-set.js';
import { replicaSetStatus } from '../../../api/validation/status.js';
import { appsSchemas } from '../../apiserver/openapi/apps-schemas.js';
import { replicaSetColumns, replicaSetRow } from '../../apiserver/tables/replicaset-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const replicaSetKind: KindDefinition = {
  openapi: appsSchemas,
  info: resourceInfo({
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  clearStatusOnCreate: true,
  fieldLabels: ['status.replicas'],
  printer: { columns: replicaSetColumns, row: replicaSetRow },
  default: defaultReplicaSet,
  validate: validateReplicaSet,
  validateStatus: replicaSetStatus,
  protobufMessage: 'k8s.io.api.apps.v1.ReplicaSet',
};
