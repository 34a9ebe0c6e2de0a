// List and watch query parameters (metav1.ListOptions), checked before they reach the store.
import { badRequest } from '../../../api/errors.js';
import { parseFieldSelector } from '../../../api/field-selector.js';
import { supportedFieldLabels } from '../field-labels.js';

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

export function listOptionsFrom(query: URLSearchParams, kind: string): ParsedListOptions {
  const fieldSelector = query.get('fieldSelector') || undefined;
  if (fieldSelector) {
    const allowed = supportedFieldLabels(kind);
    for (const requirement of parseFieldSelector(fieldSelector).requirements) {
      if (!allowed.includes(requirement.key)) {
        throw badRequest(`field label not supported: ${requirement.key}`);
      }
    }
  }
  return {
    labelSelector: query.get('labelSelector') || undefined,
    fieldSelector,
    limit: positiveInt(query, 'limit'),
    continue: query.get('continue') || undefined,
    resourceVersion: query.get('resourceVersion') || undefined,
    timeoutSeconds: positiveInt(query, 'timeoutSeconds'),
    allowWatchBookmarks: query.get('allowWatchBookmarks') === 'true',
    sendInitialEvents: query.get('sendInitialEvents') === 'true',
  };
}

function positiveInt(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw badRequest(`${name}: must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n === 0 ? undefined : n;
}
