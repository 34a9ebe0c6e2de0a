// Service (v1).
import { defaultService } from '../../../api/defaults/service-defaults.js';
import { validateService } from '../../../api/validation/service.js';
import { validateServiceStatus } from '../../../api/validation/status.js';
import { serviceSchemas } from '../../apiserver/openapi/service-schemas.js';
import { serviceHooks } from '../../apiserver/registry/service-hooks.js';
import { serviceColumns, serviceRow } from '../../apiserver/tables/service-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const serviceKind: KindDefinition = {
  openapi: serviceSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
  }),
  clearStatusOnCreate: true,
  printer: { columns: serviceColumns, row: serviceRow },
  default: defaultService,
  validate: validateService,
  validateStatus: validateServiceStatus,
  nameFormat: 'dns1035',
  hooks: ({ allocations }) => serviceHooks(allocations),
  protobufMessage: 'k8s.io.api.core.v1.Service',
};
