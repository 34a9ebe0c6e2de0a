// `kubectl get jobs`: STATUS from the job conditions, COMPLETIONS as succeeded/wanted,
// DURATION from start to completion (or to now while running).
import type { KubeObject } from '../../../api/types.js';
import { containerCells, type PodTemplateView } from './container-cells.js';
import { listOf, numberOr } from './field-readers.js';
import { humanDuration, timeSince } from './human-duration.js';
import { formatLabelSelector, type LabelSelectorView } from './label-selectors.js';
import {
  ageColumn,
  column,
  containersColumn,
  imagesColumn,
  nameColumn,
  wideColumn,
} from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface JobView extends KubeObject {
  spec?: {
    completions?: number;
    parallelism?: number;
    selector?: LabelSelectorView;
    template?: PodTemplateView;
  };
  status?: {
    succeeded?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: { type?: string; status?: string }[];
  };
}

export const jobColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Status', 'string', 'Status of the job.'),
  column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
  column('Duration', 'string', 'Time required to complete the job.'),
  ageColumn,
  containersColumn,
  imagesColumn,
  wideColumn('Selector', 'string', 'A label query over pods that should match the pod count.'),
];

export function jobRow(object: KubeObject, now: Date): PrintedRow {
  const job = object as JobView;
  return {
    cells: [
      job.metadata.name ?? '',
      jobStatus(job),
      completions(job),
      jobDuration(job, now),
      timeSince(job.metadata.creationTimestamp, now),
      ...containerCells(job.spec?.template),
      formatLabelSelector(job.spec?.selector),
    ],
  };
}

function completions(job: JobView): string {
  const succeeded = numberOr(job.status?.succeeded, 0);
  if (typeof job.spec?.completions === 'number') return `${succeeded}/${job.spec.completions}`;
  // Without completions the job is done after one success, however many run in parallel.
  const parallelism = numberOr(job.spec?.parallelism, 0);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: JobView, now: Date): string {
  const start = Date.parse(job.status?.startTime ?? '');
  if (Number.isNaN(start)) return '';
  const end = Date.parse(job.status?.completionTime ?? '');
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

function jobStatus(job: JobView): string {
  const conditions = listOf<{ type?: string; status?: string }>(job.status?.conditions);
  // Like the printer, only the first condition of a type counts.
  const holds = (type: string) => conditions.find((c) => c.type === type)?.status === 'True';
  if (holds('Complete')) return 'Complete';
  if (holds('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (holds('Suspended')) return 'Suspended';
  if (holds('FailureTarget')) return 'FailureTarget';
  return 'Running';
}
