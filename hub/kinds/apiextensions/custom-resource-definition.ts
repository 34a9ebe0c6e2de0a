// CustomResourceDefinition (apiextensions.k8s.io/v1): a new kind of object, served once the
// CRD controller (hub/controllers/customresourcedefinition/) has accepted its names.
import { defaultCustomResourceDefinition } from '../../../api/defaults/custom-resource-definition-defaults.js';
import { validateCustomResourceDefinition } from '../../../api/validation/custom-resource-definition.js';
import { apiextensionsSchemas } from '../../apiserver/openapi/apiextensions-schemas.js';
import {
  customResourceDefinitionColumns,
  customResourceDefinitionRow,
} from '../../apiserver/tables/customresourcedefinition-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const customResourceDefinitionKind: KindDefinition = {
  openapi: apiextensionsSchemas,
  info: resourceInfo({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: ['status'],
  }),
  clearStatusOnCreate: true,
  printer: { columns: customResourceDefinitionColumns, row: customResourceDefinitionRow },
  default: defaultCustomResourceDefinition,
  validate: validateCustomResourceDefinition,
};
