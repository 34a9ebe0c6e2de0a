// What a list or watch asked for (namespace, label and field selectors) as one predicate, and
// how a watcher with that predicate sees each change: per the Kubernetes watch contract an
// object that stops matching is reported DELETED and one that starts matching ADDED.
import { parseFieldSelector } from '../../api/field-selector.js';
import { parseLabelSelector } from '../../api/label-selector.js';
import type { KubeObject } from '../../api/types.js';
import type { LoggedEvent } from './event-log.js';
import type { ListOptions, StoreEvent } from './store.js';

export type ObjectFilter = (object: KubeObject) => boolean;

/** Throws ApiError BadRequest for a malformed selector. */
export function compileFilter(
  options: Pick<ListOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>,
): ObjectFilter {
  const { namespace } = options;
  const labels = options.labelSelector ? parseLabelSelector(options.labelSelector) : undefined;
  const fields = options.fieldSelector ? parseFieldSelector(options.fieldSelector) : undefined;
  return (object) =>
    (!namespace || object.metadata.namespace === namespace) &&
    (labels === undefined || labels(object.metadata.labels)) &&
    (fields === undefined || fields.matches(object));
}

/** The event a watcher filtering with `matches` receives for `event`, if any. */
export function eventFor(event: LoggedEvent, matches: ObjectFilter): StoreEvent | undefined {
  const { object, prevObject } = event;
  switch (event.type) {
    case 'ADDED':
      return matches(object) ? { type: 'ADDED', object } : undefined;
    case 'DELETED':
      return matches(prevObject ?? object) ? { type: 'DELETED', object } : undefined;
    case 'MODIFIED': {
      const now = matches(object);
      const before = prevObject !== undefined && matches(prevObject);
      if (now) return { type: before ? 'MODIFIED' : 'ADDED', object };
      return before ? { type: 'DELETED', object } : undefined;
    }
  }
}
