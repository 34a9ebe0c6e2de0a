// DaemonSet (apps/v1).
import { defaultDaemonSet } from '../../../api/defaults/workload-defaults.js';
import { validateDaemonSet } from '../../../api/validation/daemon-set.js';
import { daemonSetStatus } from '../../../api/validation/status.js';
import { appsSchemas } from '../../apiserver/openapi/apps-schemas.js';
import { daemonSetColumns, daemonSetRow } from '../../apiserver/tables/daemonset-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const daemonSetKind: KindDefinition = {
  openapi: appsSchemas,
  info: resourceInfo({
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
  }),
  clearStatusOnCreate: true,
  printer: { columns: daemonSetColumns, row: daemonSetRow },
  default: defaultDaemonSet,
  validate: validateDaemonSet,
  validateStatus: daemonSetStatus,
  protobufMessage: 'k8s.io.api.apps.v1.DaemonSet',
};
