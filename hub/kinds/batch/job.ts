// Job (batch/v1).
import { defaultJob } from '../../../api/defaults/batch-defaults.js';
import { validateJob } from '../../../api/validation/job.js';
import { jobStatus } from '../../../api/validation/status.js';
import { batchSchemas } from '../../apiserver/openapi/batch-schemas.js';
import { jobColumns, jobRow } from '../../apiserver/tables/job-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const jobKind: KindDefinition = {
  openapi: batchSchemas,
  info: resourceInfo({
    group: 'batch',
    version: 'v1',
    resource: 'jobs',
    kind: 'Job',
    namespaced: true,
    categories: ['all'],
    subresources: ['status'],
  }),
  clearStatusOnCreate: true,
  fieldLabels: ['status.successful'],
  printer: { columns: jobColumns, row: jobRow },
  default: defaultJob,
  validate: validateJob,
  validateStatus: jobStatus,
  protobufMessage: 'k8s.io.api.batch.v1.Job',
};
