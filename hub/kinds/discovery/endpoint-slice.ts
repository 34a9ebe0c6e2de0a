// EndpointSlice (discovery.k8s.io/v1).
import { defaultEndpointSlice } from '../../../api/defaults/core-defaults.js';
import { validateEndpointSlice } from '../../../api/validation/endpoint-slice.js';
import { endpointSliceSchemas } from '../../apiserver/openapi/endpointslice-schemas.js';
import { endpointSliceColumns, endpointSliceRow } from '../../apiserver/tables/endpointslice-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const endpointSliceKind: KindDefinition = {
  openapi: endpointSliceSchemas,
  info: resourceInfo({
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
  }),
  printer: { columns: endpointSliceColumns, row: endpointSliceRow },
  default: defaultEndpointSlice,
  validate: validateEndpointSlice,
};
