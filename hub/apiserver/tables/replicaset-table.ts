// `kubectl get replicasets`: DESIRED CURRENT READY as numbers.
import type { KubeObject } from '../../../api/types.js';
import { containerCells, type PodTemplateView } from './container-cells.js';
import { numberOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { formatLabelSelector, type LabelSelectorView } from './label-selectors.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  selectorDescription,
  wideColumn,
} from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface ReplicaSetView extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelectorView; template?: PodTemplateView };
  status?: { replicas?: number; readyReplicas?: number };
}

export const replicaSetColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Desired', 'integer', 'Replicas is the number of desired pods.'),
  column('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
  column(
    'Ready',
    'integer',
    'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.',
  ),
  ageColumn,
  containersColumn,
  imagesColumn,
  wideColumn('Selector', 'string', selectorDescription),
];

export function replicaSetRow(object: KubeObject, now: Date): PrintedRow {
  const replicaSet = object as ReplicaSetView;
  return replicatedRow(replicaSet, now, formatLabelSelector(replicaSet.spec?.selector));
}

/** NAME DESIRED CURRENT READY AGE CONTAINERS IMAGES SELECTOR: a ReplicaSet's or a ReplicationController's. */
export function replicatedRow(
  object: KubeObject & {
    spec?: { replicas?: number; template?: PodTemplateView };
    status?: { replicas?: number; readyReplicas?: number };
  },
  now: Date,
  selector: string,
): PrintedRow {
  const status = object.status ?? {};
  return {
    cells: [
      object.metadata.name ?? '',
      numberOr(object.spec?.replicas, 1),
      numberOr(status.replicas, 0),
      numberOr(status.readyReplicas, 0),
      timeSince(object.metadata.creationTimestamp, now),
      ...containerCells(object.spec?.template),
      selector,
    ],
  };
}
