// `kubectl get sts`: READY as ready/desired, and the containers and images with -o wide.
import type { KubeObject } from '../../../api/types.js';
import { containerCells, type PodTemplateView } from './container-cells.js';
import { numberOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface StatefulSetView extends KubeObject {
  spec?: { replicas?: number; template?: PodTemplateView };
  status?: { readyReplicas?: number };
}

export const statefulSetColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Ready', 'string', 'Ready pods out of the pods wanted.'),
  ageColumn,
  containersColumn,
  imagesColumn,
];

export function statefulSetRow(object: KubeObject, now: Date): PrintedRow {
  const set = object as StatefulSetView;
  const ready = numberOr(set.status?.readyReplicas, 0);
  return {
    cells: [
      set.metadata.name ?? '',
      `${ready}/${numberOr(set.spec?.replicas, 1)}`,
      timeSince(set.metadata.creationTimestamp, now),
      ...containerCells(set.spec?.template),
    ],
  };
}
