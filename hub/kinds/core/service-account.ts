// ServiceAccount (v1), with its token subresource (TokenRequest, hub/serviceaccount/).
import { validateServiceAccount } from '../../../api/validation/service-account.js';
import { serviceAccountSchemas } from '../../apiserver/openapi/service-account-schemas.js';
import { serviceAccountColumns, serviceAccountRow } from '../../apiserver/tables/service-account-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const serviceAccountKind: KindDefinition = {
  openapi: serviceAccountSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    subresources: ['token'],
  }),
  printer: { columns: serviceAccountColumns, row: serviceAccountRow },
  validate: validateServiceAccount,
  protobufMessage: 'k8s.io.api.core.v1.ServiceAccount',
};
