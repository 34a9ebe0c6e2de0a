// `kubectl get deployments`: READY as ready/desired, UP-TO-DATE, AVAILABLE.
import type { KubeObject } from '../../../api/types.js';
import { containerCells, type PodTemplateView } from './container-cells.js';
import { numberOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { type LabelSelectorView, selectorString } from './label-selectors.js';
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

interface DeploymentView extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelectorView; template?: PodTemplateView };
  status?: { readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

export const deploymentColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Ready', 'string', 'Number of the pod with ready state'),
  column(
    'Up-to-date',
    'string',
    'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
  ),
  column(
    'Available',
    'string',
    'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
  ),
  ageColumn,
  containersColumn,
  imagesColumn,
  wideColumn('Selector', 'string', selectorDescription),
];

export function deploymentRow(object: KubeObject, now: Date): PrintedRow {
  const deployment = object as DeploymentView;
  const status = deployment.status ?? {};
  // spec.replicas defaults to 1 in apps/v1.
  const desired = numberOr(deployment.spec?.replicas, 1);
  return {
    cells: [
      deployment.metadata.name ?? '',
      `${numberOr(status.readyReplicas, 0)}/${desired}`,
      numberOr(status.updatedReplicas, 0),
      numberOr(status.availableReplicas, 0),
      timeSince(deployment.metadata.creationTimestamp, now),
      ...containerCells(deployment.spec?.template),
      selectorString(deployment.spec?.selector),
    ],
  };
}
