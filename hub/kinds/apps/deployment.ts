// Deployment (apps/v1).
import { defaultDeployment } from '../../../api/defaults/workload-defaults.js';
import { validateDeployment } from '../../../api/validation/deployment.js';
import { deploymentStatus } from '../../../api/validation/status.js';
import { appsSchemas } from '../../apiserver/openapi/apps-schemas.js';
import { deploymentColumns, deploymentRow } from '../../apiserver/tables/deployment-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const deploymentKind: KindDefinition = {
  openapi: appsSchemas,
  info: resourceInfo({
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  clearStatusOnCreate: true,
  printer: { columns: deploymentColumns, row: deploymentRow },
  default: defaultDeployment,
  validate: validateDeployment,
  validateStatus: deploymentStatus,
  protobufMessage: 'k8s.io.api.apps.v1.Deployment',
};
