// Event (v1).
import { validateEvent } from '../../../api/validation/event.js';
import { coreObjectSchemas } from '../../apiserver/openapi/core-object-schemas.js';
import { eventColumns, eventRow } from '../../apiserver/tables/event-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const eventKind: KindDefinition = {
  openapi: coreObjectSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
  }),
  fieldLabels: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  printer: { columns: eventColumns, row: eventRow },
  validate: validateEvent,
  // client-go's event recorder posts core/v1 Events as protobuf when its client is set up for it.
  protobufMessage: 'k8s.io.api.core.v1.Event',
};
