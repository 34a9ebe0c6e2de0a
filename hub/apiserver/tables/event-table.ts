// `kubectl get events`: LAST SEEN TYPE REASON OBJECT MESSAGE, with SUBOBJECT, SOURCE,
// FIRST SEEN, COUNT and NAME for -o wide. Timestamps fall back the way the event printer
// does: lastTimestamp -> firstTimestamp -> eventTime, and series.lastObservedTime wins.
import type { KubeObject } from '../../../api/types.js';
import { numberOr } from './field-readers.js';
import { timeSince } from './human-duration.js';
import { column, nameColumn, wideColumn } from './table-columns.js';
import type { PrintedRow, TableColumnDefinition } from './table-types.js';

interface EventView extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

export const eventColumns: readonly TableColumnDefinition[] = [
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column(
    'Reason',
    'string',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column('Object', 'string', 'The object that this event is about.'),
  wideColumn(
    'Subobject',
    'string',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
  ),
  wideColumn(
    'Source',
    'string',
    'The component reporting this event. Should be a short machine understandable string.',
  ),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  wideColumn(
    'First Seen',
    'string',
    'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
  ),
  wideColumn('Count', 'string', 'The number of times this event has occurred.'),
  { ...nameColumn, priority: 1 },
];

export function eventRow(object: KubeObject, now: Date): PrintedRow {
  const event = object as EventView;
  const firstSeen = timeSince(event.firstTimestamp || event.eventTime, now);
  let lastSeen = event.lastTimestamp ? timeSince(event.lastTimestamp, now) : firstSeen;
  // Events without a count are singletons in the events.k8s.io API.
  let count = numberOr(event.count, 0) || 1;
  if (event.series) {
    lastSeen = timeSince(event.series.lastObservedTime, now);
    count = numberOr(event.series.count, 0);
  }
  const involved = event.involvedObject ?? {};
  const kind = (involved.kind ?? '').toLowerCase();
  return {
    cells: [
      lastSeen,
      event.type ?? '',
      event.reason ?? '',
      involved.name ? `${kind}/${involved.name}` : kind,
      involved.fieldPath ?? '',
      eventSource(event),
      (event.message ?? '').trim(),
      firstSeen,
      count,
      event.metadata.name ?? '',
    ],
  };
}

/** "component, host", using the reporting fields when the legacy source is empty. */
function eventSource(event: EventView): string {
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}
