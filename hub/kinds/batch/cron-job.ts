// CronJob (batch/v1).
import { defaultCronJob } from '../../../api/defaults/batch-defaults.js';
import { validateCronJob } from '../../../api/validation/cron-job.js';
import { batchSchemas } from '../../apiserver/openapi/batch-schemas.js';
import { cronJobColumns, cronJobRow } from '../../apiserver/tables/cronjob-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const cronJobKind: KindDefinition = {
  openapi: batchSchemas,
  info: resourceInfo({
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    subresources: ['status'],
  }),
  clearStatusOnCreate: true,
  printer: { columns: cronJobColumns, row: cronJobRow },
  default: defaultCronJob,
  validate: validateCronJob,
  protobufMessage: 'k8s.io.api.batch.v1.CronJob',
};
