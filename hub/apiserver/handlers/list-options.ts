// List and watch query parameters (metav1.ListOptions), checked before they reach the store: a
// value that does not parse is a 400 naming the parameter, never a silent default.
import {
  ApiError,
  badRequest,
  type FieldError,
  forbidden,
  invalid,
  notSupported,
} from '../../../api/errors.js';
import { parseFieldSelector } from '../../../api/field-selector.js';
import { parseLabelRequirements } from '../../../api/label-selector.js';
import type { KindDefinition } from '../../kinds/kind-definition.js';
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

/**
 * `watch`: the options are a watch's (kube validates list and watch options apart). Throws 400
 * for a value that does not parse, 422 (`ListOptions.meta.k8s.io "" is invalid: …`) for a
 * combination kube-apiserver forbids.
 */
export function listOptionsFrom(
  query: URLSearchParams,
  kind: Pick<KindDefinition, 'fieldLabels'>,
  watch = false,
): ParsedListOptions {
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
  const sendInitialEvents = boolParam(query, 'sendInitialEvents');
  const continueToken = query.get('continue') || undefined;
  const match = query.get('resourceVersionMatch') || '';
  const errors = watch
    ? watchOptionProblems(match, sendInitialEvents, continueToken)
    : listOptionProblems(match, sendInitialEvents, continueToken, resourceVersion);
  if (errors.length > 0) throw invalid('ListOptions', 'meta.k8s.io', '', errors);
  return {
    labelSelector,
    fieldSelector,
    limit: limit === 0 ? undefined : limit,
    continue: continueToken,
    resourceVersion,
    timeoutSeconds: timeoutSeconds === 0 ? undefined : timeoutSeconds,
    allowWatchBookmarks: boolParam(query, 'allowWatchBookmarks') ?? false,
    sendInitialEvents: sendInitialEvents ?? false,
  };
}

const notOlderThan = 'NotOlderThan';

/** Both a list and a watch refuse resourceVersionMatch with a continue token. */
const matchWithContinue = () =>
  forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided');

/**
 * kube-apiserver's rules for a list's resourceVersionMatch and sendInitialEvents. A list is
 * always served from the newest state here, which is what Exact asks for only at the newest
 * resourceVersion and NotOlderThan at any; the rules still refuse what kube refuses.
 */
function listOptionProblems(
  match: string,
  sendInitialEvents: boolean | undefined,
  continueToken: string | undefined,
  resourceVersion: string | undefined,
): FieldError[] {
  const errors: FieldError[] = [];
  if (match !== '') {
    if (resourceVersion === undefined)
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    if (continueToken !== undefined) errors.push(matchWithContinue());
    if (match === 'Exact' && resourceVersion === '0')
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
    if (match !== 'Exact' && match !== notOlderThan)
      errors.push(notSupported('resourceVersionMatch', match, ['Exact', notOlderThan, '']));
  }
  if (sendInitialEvents !== undefined)
    errors.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errors;
}

/** kube-apiserver's rules for a watch's (watch-list) sendInitialEvents and resourceVersionMatch. */
function watchOptionProblems(
  match: string,
  sendInitialEvents: boolean | undefined,
  continueToken: string | undefined,
): FieldError[] {
  const errors: FieldError[] = [];
  if (sendInitialEvents !== undefined && match !== notOlderThan)
    errors.push(
      forbidden(
        'resourceVersionMatch',
        `sendInitialEvents requires setting resourceVersionMatch to ${notOlderThan}`,
      ),
    );
  if (match !== '') {
    if (sendInitialEvents === undefined)
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    if (match !== notOlderThan) errors.push(notSupported('resourceVersionMatch', match, [notOlderThan]));
    if (continueToken !== undefined) errors.push(matchWithContinue());
  }
  return errors;
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
