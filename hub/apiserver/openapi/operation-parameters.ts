// The query and path parameters of resource operations, inlined in each operation as
// kube-apiserver documents them. kubectl looks for `fieldValidation` on a kind's PATCH
// operation to decide that the server validates fields itself (then it sends
// fieldValidation=Strict and skips client-side schema validation).

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: { type: 'string' | 'integer' | 'boolean'; uniqueItems: true };
}

const query = (name: string, type: Parameter['schema']['type'], description: string): Parameter => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});

const path = (name: string, description: string): Parameter => ({
  name,
  in: 'path',
  description,
  required: true,
  schema: { type: 'string', uniqueItems: true },
});

export const nameParameter = path('name', 'name of the object');
export const namespaceParameter = path(
  'namespace',
  'object name and auth scope, such as for teams and projects',
);

const pretty = query('pretty', 'string', "If 'true', then the output is pretty printed.");
const dryRun = query(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. The only valid value is All.',
);
const fieldManager = query(
  'fieldManager',
  'string',
  'A name associated with the actor or entity that is making these changes.',
);
export const fieldValidation = query(
  'fieldValidation',
  'string',
  'How the server handles unknown or duplicate fields in the request body: Ignore (drop them), ' +
    'Warn (drop them and send a warning header) or Strict (fail the request).',
);
const force = query(
  'force',
  'boolean',
  'Force is going to "force" Apply requests. Must be unset for non-apply patch requests.',
);

const listParameters: Parameter[] = [
  query('allowWatchBookmarks', 'boolean', 'Requests watch events with type "BOOKMARK".'),
  query('continue', 'string', 'The continue token returned by a previous, truncated list call.'),
  query('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields.'),
  query('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels.'),
  query('limit', 'integer', 'Maximum number of responses to return for a list call.'),
  query('resourceVersion', 'string', 'Constrains the resource versions a request may be served from.'),
  query('resourceVersionMatch', 'string', 'How resourceVersion is applied to list calls.'),
  query(
    'sendInitialEvents',
    'boolean',
    'Whether a watch starts with synthetic ADDED events for existing objects.',
  ),
  query('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  query('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream.'),
];

const deleteParameters: Parameter[] = [
  dryRun,
  query('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  query('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy.'),
  query(
    'propagationPolicy',
    'string',
    'Whether and how garbage collection will be performed: Orphan, Background or Foreground.',
  ),
];

/** Query parameters per kind of operation. */
export const queryParameters = {
  list: [pretty, ...listParameters],
  create: [pretty, dryRun, fieldManager, fieldValidation],
  read: [pretty],
  replace: [pretty, dryRun, fieldManager, fieldValidation],
  patch: [pretty, dryRun, fieldManager, fieldValidation, force],
  delete: [pretty, ...deleteParameters],
  deletecollection: [pretty, ...deleteParameters, ...listParameters],
} as const satisfies Record<string, Parameter[]>;
