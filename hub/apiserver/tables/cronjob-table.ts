// `kubectl get cronjobs`: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE.
import type { KubeObject } from '../../../api/types.js';
import { containerCells, type PodTemplateView } from './container-cells.js';
import { listOf } from './field-readers.js';
import { timeSince } from './human-duration.js';
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

interface CronJobView extends KubeObject {
  spec?: {
    schedule?: string;
    timeZone?: string;
    suspend?: boolean;
    jobTemplate?: { spec?: { selector?: LabelSelectorView; template?: PodTemplateView } };
  };
  status?: { active?: unknown[]; lastScheduleTime?: string };
}

export const cronJobColumns: readonly TableColumnDefinition[] = [
  nameColumn,
  column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
  column(
    'Timezone',
    'string',
    'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
  ),
  // kube-apiserver declares this column boolean yet fills it with "True"/"False" strings.
  column(
    'Suspend',
    'boolean',
    'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.',
  ),
  column('Active', 'integer', 'A list of pointers to currently running jobs.'),
  column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
  ageColumn,
  containersColumn,
  imagesColumn,
  wideColumn('Selector', 'string', 'A label query over pods that should match the pod count.'),
];

export function cronJobRow(object: KubeObject, now: Date): PrintedRow {
  const cronJob = object as CronJobView;
  const spec = cronJob.spec ?? {};
  const lastSchedule = cronJob.status?.lastScheduleTime;
  return {
    cells: [
      cronJob.metadata.name ?? '',
      spec.schedule ?? '',
      spec.timeZone ?? '<none>',
      // suspend defaults to false in batch/v1.
      spec.suspend ? 'True' : 'False',
      listOf(cronJob.status?.active).length,
      lastSchedule ? timeSince(lastSchedule, now) : '<none>',
      timeSince(cronJob.metadata.creationTimestamp, now),
      ...containerCells(spec.jobTemplate?.spec?.template),
      formatLabelSelector(spec.jobTemplate?.spec?.selector),
    ],
  };
}
