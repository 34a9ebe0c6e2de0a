// One page of a LIST over a resource's table: namespace, selectors, limit and continue, in key
// order (kube-apiserver's semantics for metav1.ListOptions without a resourceVersion). A page
// costs what it returns: the scan stops at the first match past the limit.
import type { KubeObject } from '../../api/types.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { compileFilter } from './object-filter.js';
import type { ObjectTable } from './object-table.js';
import type { ListOptions, ListResult } from './store.js';

/** Throws ApiError BadRequest for a malformed selector or continue token. */
export function listPage(
  table: ObjectTable | undefined,
  options: ListOptions,
  currentRv: string,
): ListResult {
  const matches = compileFilter(options);
  const from = options.continue ? decodeContinue(options.continue) : undefined;
  const limit = options.limit && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
  // Later pages report the first page's resourceVersion, as kube-apiserver does: a client that
  // watches from it after the last page replays whatever changed while it was paging.
  const resourceVersion = from?.resourceVersion ?? currentRv;
  const items: KubeObject[] = [];
  if (!table) return { items, resourceVersion };
  const prefix = options.namespace ? `${options.namespace}/` : '';
  let lastKey = '';
  let more = false;
  table.each(prefix, from?.key, (key, object) => {
    if (!matches(object)) return true;
    if (items.length === limit) {
      more = true;
      return false;
    }
    items.push(object);
    lastKey = key;
    return true;
  });
  if (!more) return { items, resourceVersion };
  const token = encodeContinue({ key: lastKey, resourceVersion });
  // As kube-apiserver: counted only without selectors, where it costs no scan of the rest.
  const selected = options.labelSelector || options.fieldSelector;
  return {
    items,
    resourceVersion,
    continue: token,
    ...(selected ? {} : { remainingItemCount: table.count(prefix, lastKey) }),
  };
}
