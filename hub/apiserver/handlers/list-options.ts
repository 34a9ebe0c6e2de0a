// List and watch query parameters (metav1.ListOptions), checked before they reach the store: a
// value that does not parse is a 400 naming the parameter, never a silent default.
import { ApiError, badRequest } from '../../../api/errors.js';
import { parseFieldSelector } from '../../../api/field-selector.js';
import { parseLabelRequirements } from '../../../api/label-selector.js';
import { supportedFieldLabels } from '../field-labels.js';
import { boolParam, intParam, invalidParam } from '../http/query-params.js';

export interface ParsedListOptions {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit?: number | undefined;
  continue?: string | undefined;
  resourceVersion?: string | undefined;
  timeoutSeconds?: number | undefined;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
}

/** The longest watch a timer can hold (2^31-1 ms); kube takes any int64, no client needs more. */
export const maxTimeoutSeconds = Math.floor((2 ** 31 - 1) / 1000);

export function listOptionsFrom(query: URLSearchParams, kind: string): ParsedListOptions {
  const labelSelector = query.get('labelSelector') || undefined;
  if (labelSelector)
    parsedOrInvalid('labelSelector', labelSelector, () => parseLabelRequirements(labelSelector));
  const fieldSelector = query.get('fieldSelector') || undefined;
  if (fieldSelector) {
    const { requirements } = parsedOrInvalid('fieldSelector', fieldSelector, () =>
      parseFieldSelector(fieldSelector),
    );
    const allowed = supportedFieldLabels(kind);
    for (const requirement of requirements) {
      // kube-apiserver's own wording, which names the label.
      if (!allowed.includes(requirement.key))
        throw badRequest(`field label not supported: ${requirement.key}`);
    }
  }
  const resourceVersion = query.get('resourceVersion') || undefined;
  // Resource versions are etcd revisions, uint64 in decimal.
  if (resourceVersion !== undefined && !/^\d{1,20}$/.test(resourceVersion)) {
    invalidParam('resourceVersion', resourceVersion, 'must be a resource version: a non-negative integer');
  }
  const limit = intParam(query, 'limit', 0);
  const timeoutSeconds = intParam(query, 'timeoutSeconds', 0, maxTimeoutSeconds);
  return {
    labelSelector,
    fieldSelector,
    limit: limit === 0 ? undefined : limit,
    continue: query.get('continue') || undefined,
    resourceVersion,
    timeoutSeconds: timeoutSeconds === 0 ? undefined : timeoutSeconds,
    allowWatchBookmarks: boolParam(query, 'allowWatchBookmarks') ?? false,
    sendInitialEvents: boolParam(query, 'sendInitialEvents') ?? false,
  };
}

/** Runs a selector parser; its 400 is re-worded to name the parameter and the value given. */
function parsedOrInvalid<T>(name: string, raw: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'BadRequest') invalidParam(name, raw, err.message);
    throw err;
  }
}
