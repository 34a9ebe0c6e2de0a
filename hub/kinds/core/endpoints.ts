// Endpoints (v1).
import { defaultEndpoints } from '../../../api/defaults/core-defaults.js';
import { validateEndpoints } from '../../../api/validation/endpoints.js';
import { serviceSchemas } from '../../apiserver/openapi/service-schemas.js';
import { endpointsColumns, endpointsRow } from '../../apiserver/tables/endpoints-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const endpointsKind: KindDefinition = {
  openapi: serviceSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'endpoints',
    kind: 'Endpoints',
    namespaced: true,
    shortNames: ['ep'],
  }),
  printer: { columns: endpointsColumns, row: endpointsRow },
  default: defaultEndpoints,
  validate: validateEndpoints,
};
