// ControllerRevision (apps/v1).
import { validateControllerRevision } from '../../../api/validation/controller-revision.js';
import { appsSchemas } from '../../apiserver/openapi/apps-schemas.js';
import {
  controllerRevisionColumns,
  controllerRevisionRow,
} from '../../apiserver/tables/controllerrevision-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const controllerRevisionKind: KindDefinition = {
  openapi: appsSchemas,
  info: resourceInfo({
    group: 'apps',
    version: 'v1',
    resource: 'controllerrevisions',
    kind: 'ControllerRevision',
    namespaced: true,
  }),
  printer: { columns: controllerRevisionColumns, row: controllerRevisionRow },
  validate: validateControllerRevision,
};
