// `kubectl get daemonsets`: the scheduling counters of the status and the NODE SELECTOR.
import type { KubeObject } from '../../../api/types.js';
import { containerCells, type PodTemplateView } from './container-cells.js';
import { numberOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { formatLabelSelector, formatLabels, type LabelSelectorView } from './label-selectors.js';
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

interface DaemonSetView extends KubeObject {
  spec?: { selector?: LabelSelectorView; template?: PodTemplateView };
  status?: {
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

export const daemonSetColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column(
    'Desired',
    'integer',
    'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
  ),
  column(
    'Current',
    'integer',
    'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
  ),
  column(
    'Ready',
    'integer',
    'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
  ),
  column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
  column(
    'Available',
    'integer',
    'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
  ),
  column(
    'Node Selector',
    'string',
    "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
  ),
  ageColumn,
  containersColumn,
  imagesColumn,
  wideColumn('Selector', 'string', selectorDescription),
];

export function daemonSetRow(object: KubeObject, now: Date): PrintedRow {
  const daemonSet = object as DaemonSetView;
  const status = daemonSet.status ?? {};
  return {
    cells: [
      daemonSet.metadata.name ?? '',
      numberOr(status.desiredNumberScheduled, 0),
      numberOr(status.currentNumberScheduled, 0),
      numberOr(status.numberReady, 0),
      numberOr(status.updatedNumberScheduled, 0),
      numberOr(status.numberAvailable, 0),
      formatLabels(daemonSet.spec?.template?.spec?.nodeSelector),
      timeSince(daemonSet.metadata.creationTimestamp, now),
      ...containerCells(daemonSet.spec?.template),
      formatLabelSelector(daemonSet.spec?.selector),
    ],
  };
}
