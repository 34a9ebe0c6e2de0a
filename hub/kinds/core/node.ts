// Node (v1).
import { defaultNode } from '../../../api/defaults/core-defaults.js';
import { validateNode, validateNodeStatus } from '../../../api/validation/node.js';
import { nodeSchemas } from '../../apiserver/openapi/node-schemas.js';
import { nodeColumns, nodeRow } from '../../apiserver/tables/node-table.js';
import { type KindDefinition, resourceInfo } from '../kind-definition.js';

export const nodeKind: KindDefinition = {
  openapi: nodeSchemas,
  info: resourceInfo({
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status'],
  }),
  fieldLabels: ['spec.unschedulable'],
  printer: { columns: nodeColumns, row: nodeRow },
  default: defaultNode,
  validate: validateNode,
  validateStatus: validateNodeStatus,
};
