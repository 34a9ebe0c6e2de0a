// Where a new watch starts (WatchOptions.resourceVersion): from the current state, delivered as
// ADDED events, or from a point in the event log, replayed with the watch's selectors.
import { badRequest, expired } from '../../api/errors.js';
import type { EventLog } from './event-log.js';
import { eventFor, type ObjectFilter } from './object-filter.js';
import type { ObjectTable } from './object-table.js';
import type { StoreEvent } from './store.js';

/** Undefined and '0' mean "current state, then changes"; anything else must be an integer. */
export function parseWatchResourceVersion(resourceVersion: string | undefined): number {
  if (resourceVersion === undefined || resourceVersion === '') return 0;
  if (!/^\d+$/.test(resourceVersion)) {
    throw badRequest(
      `invalid resourceVersion ${JSON.stringify(resourceVersion)}: must be a non-negative integer`,
    );
  }
  return Number(resourceVersion);
}

/** The events a watch from `from` receives before live ones; throws 410 Expired past the log. */
export function watchBacklog(
  source: { table: ObjectTable; log: EventLog },
  from: number,
  namespace: string | undefined,
  matches: ObjectFilter,
): StoreEvent[] {
  if (from === 0) {
    const events: StoreEvent[] = [];
    source.table.each(namespace ? `${namespace}/` : '', undefined, (_, object) => {
      if (matches(object)) events.push({ type: 'ADDED', object });
      return true;
    });
    return events;
  }
  const logged = source.log.since(from);
  if (logged === undefined)
    throw expired(`too old resource version: ${from} (${source.log.oldestResumable})`);
  return logged.flatMap((event) => eventFor(event, matches) ?? []);
}
