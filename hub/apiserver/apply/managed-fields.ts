// metadata.managedFields: which field manager set which fields, by operation (Apply for
// server-side apply, Update for every other write an API client makes). An Update takes the
// fields it changed from whoever had them; fields it removed belong to nobody afterwards.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../api/types.js';
import type { Schema } from '../openapi/schema-builders.js';
import {
  difference,
  type FieldSet,
  fieldSetOf,
  fromMembers,
  isEmpty,
  members,
  union,
  valueAt,
} from './field-set.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldSet;
  subresource?: string;
}

/** The entries of `metadata.managedFields` (a stored object's or a request's), the malformed ones left out. */
export function managedFieldsOf(list: unknown): ManagedFieldsEntry[] {
  if (!Array.isArray(list)) return [];
  return list.filter(
    (e): e is ManagedFieldsEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as ManagedFieldsEntry).manager === 'string' &&
      ((e as ManagedFieldsEntry).operation === 'Apply' || (e as ManagedFieldsEntry).operation === 'Update') &&
      typeof (e as ManagedFieldsEntry).fieldsV1 === 'object' &&
      (e as ManagedFieldsEntry).fieldsV1 !== null,
  );
}

export interface WriteBy {
  manager: string;
  apiVersion: string;
  /** RFC 3339, when the entry changes. */
  time: string;
  subresource?: string | undefined;
}

const sameEntry = (e: ManagedFieldsEntry, by: WriteBy, operation: 'Apply' | 'Update') =>
  e.manager === by.manager && e.operation === operation && (e.subresource ?? '') === (by.subresource ?? '');

/** The entries after an Update by `by` turned `old` (absent on create) into `next`. */
export function recordUpdate(
  entries: readonly ManagedFieldsEntry[],
  old: KubeObject | undefined,
  next: KubeObject,
  schema: Schema,
  by: WriteBy,
): ManagedFieldsEntry[] {
  const now = fieldSetOf(next, schema);
  const changed = fromMembers(
    members(now).filter((path) => !old || !isDeepStrictEqual(valueAt(next, path), valueAt(old, path))),
  );
  const removed = old ? difference(fieldSetOf(old, schema), now) : {};
  if (isEmpty(changed) && isEmpty(removed)) return [...entries];
  const out: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const entry of entries) {
    if (sameEntry(entry, by, 'Update')) {
      mine = entry;
      continue;
    }
    const fields = difference(difference(entry.fieldsV1, changed), removed);
    if (!isEmpty(fields)) out.push({ ...entry, fieldsV1: fields });
  }
  const fields = difference(union(mine?.fieldsV1 ?? {}, changed), removed);
  if (!isEmpty(fields)) out.push(entryFor(by, 'Update', fields));
  return out;
}

export function entryFor(by: WriteBy, operation: 'Apply' | 'Update', fields: FieldSet): ManagedFieldsEntry {
  return {
    manager: by.manager,
    operation,
    apiVersion: by.apiVersion,
    time: by.time,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
    ...(by.subresource ? { subresource: by.subresource } : {}),
  };
}
