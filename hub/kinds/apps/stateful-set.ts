// StatefulSet (apps/v1): run by hub/controllers/statefulset/.
import { defaultStatefulSet } from '../../../api/defaults/workload-defaults.js';
import { validateStatefulSet } from '../../../api/validation/stateful-set.js';
import { statefulSetStatus } from '../../../api/validation/status.js';
import { statefulSetSchemas } from '../../apiserver/openapi/statefulset-schemas.js';
import { statefulSetColumns, statefulSetRow } from '../../apiserver/tables/statefulset-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const statefulSetKind: KindDefinition = {
  openapi: statefulSetSchemas,
  info: resourceInfo({
    group: 'apps',
    version: 'v1',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  clearStatusOnCreate: true,
  printer: { columns: statefulSetColumns, row: statefulSetRow },
  default: defaultStatefulSet,
  validate: validateStatefulSet,
  validateStatus: statefulSetStatus,
};
