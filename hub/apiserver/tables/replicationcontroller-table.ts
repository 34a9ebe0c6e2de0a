// `kubectl get rc`: DESIRED CURRENT READY, and with -o wide the containers, images and the
// selector (a plain label map).
import type { KubeObject } from '../../../api/types.js';
import type { PodTemplateView } from './container-cells.js';
import { formatLabels } from './label-selectors.js';
import { replicatedRow } from './replicaset-table.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  wideColumn,
} from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface ReplicationControllerView extends KubeObject {
  spec?: { replicas?: number; selector?: Record<string, string>; template?: PodTemplateView };
  status?: { replicas?: number; readyReplicas?: number };
}

export const replicationControllerColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Desired', 'integer', 'Number of pods wanted.'),
  column('Current', 'integer', 'Number of pods it has now.'),
  column('Ready', 'integer', 'Number of its pods that are ready.'),
  ageColumn,
  containersColumn,
  imagesColumn,
  wideColumn('Selector', 'string', 'Labels its pods carry.'),
];

export function replicationControllerRow(object: KubeObject, now: Date): PrintedRow {
  const rc = object as ReplicationControllerView;
  return replicatedRow(rc, now, formatLabels(rc.spec?.selector));
}
