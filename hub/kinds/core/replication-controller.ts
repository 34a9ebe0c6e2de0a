// ReplicationController (v1): run by the ReplicaSet controller's logic (hub/controllers/replicaset/).
import { defaultReplicationController } from '../../../api/defaults/workload-defaults.js';
import { validateReplicationController } from '../../../api/validation/replication-controller.js';
import { replicaSetStatus } from '../../../api/validation/status.js';
import { replicationControllerSchemas } from '../../apiserver/openapi/replication-controller-schemas.js';
import { formatLabels } from '../../apiserver/tables/label-selectors.js';
import {
  replicationControllerColumns,
  replicationControllerRow,
} from '../../apiserver/tables/replicationcontroller-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const replicationControllerKind: KindDefinition = {
  openapi: replicationControllerSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'replicationcontrollers',
    kind: 'ReplicationController',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  clearStatusOnCreate: true,
  fieldLabels: ['status.replicas'],
  printer: { columns: replicationControllerColumns, row: replicationControllerRow },
  default: defaultReplicationController,
  validate: validateReplicationController,
  validateStatus: replicaSetStatus,
  // Its selector is a label map: the Scale reports it as `k=v,...` (labels.SelectorFromSet).
  scaleSelector: (obj) => {
    const text = formatLabels((obj.spec as { selector?: unknown } | undefined)?.selector);
    return text === '<none>' ? '' : text;
  },
};
