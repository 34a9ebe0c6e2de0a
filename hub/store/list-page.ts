// One page of a LIST over a resource's table: namespace, selectors, limit and continue, in key
// order (kube-apiserver's semantics for metav1.ListOptions without a resourceVersion).
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
  let lastKey = '';
  let remaining = 0;
  for (const [key, object] of table.scan(options.namespace ? `${options.namespace}/` : '', from?.key)) {
    if (!matches(object)) continue;
    if (items.length < limit) {
      items.push(object);
      lastKey = key;
    } else {
      remaining++;
    }
  }
  if (remaining === 0) return { items, resourceVersion };
  const token = encodeContinue({ key: lastKey, resourceVersion });
  return { items, resourceVersion, continue: token, remainingItemCount: remaining };
}
