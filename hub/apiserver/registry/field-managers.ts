// metadata.managedFields of what is about to be stored: as server-side apply computed them, or
// the client's write recorded as an Update of its field manager (on top of managedFields the
// client set itself, as kubectl does when it moves an object to server-side apply), or, for the
// hub's own writes, as they were.
import { isDeepStrictEqual } from 'node:util';
import { groupVersion, type ResourceInfo } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { managedFieldsOf, recordUpdate } from '../apply/managed-fields.js';
import type { Schema } from '../openapi/schema-builders.js';
import { kubeTime } from './object-lifecycle.js';
import type { UpdateRequest } from './write-request.js';

export function recordManagers(
  next: KubeObject,
  old: KubeObject | undefined,
  /** The managedFields the request's body carried. */
  requested: unknown,
  request: UpdateRequest,
  resource: { info: ResourceInfo; schema: Schema; now: Date },
): void {
  let entries: unknown;
  const sub = request.subresource;
  if (request.applied) entries = requested;
  else if (request.fieldManager) {
    const clientSet = requested !== undefined && !isDeepStrictEqual(requested, old?.metadata.managedFields);
    const base = clientSet ? managedFieldsOf(requested) : managedFieldsOf(old?.metadata.managedFields);
    entries = recordUpdate(base, old, next, resource.schema, {
      manager: request.fieldManager,
      apiVersion: groupVersion(resource.info),
      time: kubeTime(resource.now),
      subresource: sub === 'status' || sub === 'ephemeralcontainers' ? sub : undefined,
    });
  } else entries = old?.metadata.managedFields;
  if (Array.isArray(entries) && entries.length > 0)
    next.metadata.managedFields = entries as KubeObject['metadata']['managedFields'];
  else delete next.metadata.managedFields;
}
