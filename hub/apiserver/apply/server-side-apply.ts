// Server-side apply (PATCH with `application/apply-patch+yaml`): the applied configuration says
// which fields its manager wants, with which values. A field another manager set to a different
// value is a conflict (409 naming the fields and managers) unless `force` takes it over; fields
// the manager applied before and leaves out now are removed unless someone else manages them;
// the rest merges into the live object by the kind's schema (structured-merge.ts).
import { isDeepStrictEqual } from 'node:util';
import { ApiError, type GroupResource } from '../../../api/errors.js';
import type { KubeObject, StatusCause } from '../../../api/types.js';
import { isRecord } from '../../../api/validation/field-readers.js';
import type { Schema } from '../openapi/schema-builders.js';
import {
  difference,
  type FieldPath,
  type FieldSet,
  fieldSetOf,
  fromMembers,
  hasMember,
  intersection,
  isEmpty,
  members,
  removeAt,
  union,
  valueAt,
} from './field-set.js';
import { entryFor, type ManagedFieldsEntry, managedFieldsOf, type WriteBy } from './managed-fields.js';
import { mergeApplied } from './structured-merge.js';

export interface ApplyRequest {
  /** The live object, or undefined when the apply creates it. */
  live: KubeObject | undefined;
  applied: KubeObject;
  by: WriteBy;
  force: boolean;
  schema: Schema;
  gr: GroupResource;
}

/** The object to store: the live one with the configuration applied, and its managedFields. */
export function applyConfiguration(request: ApplyRequest): KubeObject {
  const { live, applied, by, schema } = request;
  const appliedSet = fieldSetOf(applied, schema);
  if (!live) {
    const created = structuredClone(applied);
    created.metadata.managedFields = [entryFor(by, 'Apply', appliedSet)];
    return created;
  }
  let entries = managedFieldsOf(live.metadata.managedFields);
  const mine = entries.find((e) => e.manager === by.manager && e.operation === 'Apply' && !e.subresource);
  const others = entries.filter((e) => e !== mine);
  const conflicts = findConflicts(others, appliedSet, applied, live);
  const clientSideApplied = lastAppliedFields(live, schema);
  const blocking = conflicts.filter(
    (c) => c.entry.manager !== clientSideApplyManager || !hasMember(clientSideApplied, c.path),
  );
  if (blocking.length > 0 && !request.force) throw conflictError(blocking, request);
  entries = others
    .map((entry) => {
      // Conflicts taken over, forced or from client-side apply, leave their old manager.
      const taken = conflicts.filter((c) => c.entry === entry).map((c) => c.path);
      return taken.length > 0
        ? { ...entry, fieldsV1: difference(entry.fieldsV1, fromMembers(taken)) }
        : entry;
    })
    .filter((entry) => !isEmpty(entry.fieldsV1));
  const next = structuredClone(live) as KubeObject;
  // What this manager applied before and no longer does goes, unless another manager has it.
  const ownedByOthers = entries.reduce<FieldSet>((all, e) => union(all, e.fieldsV1), {});
  const dropped = difference(difference(mine?.fieldsV1 ?? {}, appliedSet), ownedByOthers);
  for (const path of members(dropped).sort((a, b) => b.length - a.length)) removeAt(next, path);
  const { metadata: appliedMeta, ...appliedRest } = applied;
  const merged = mergeApplied(next, appliedRest, schema) as KubeObject;
  const {
    name: _n,
    namespace: _ns,
    uid: _u,
    resourceVersion: _rv,
    managedFields: _mf,
    ...metaFields
  } = appliedMeta ?? {};
  merged.metadata = {
    ...(mergeApplied(next.metadata, metaFields, metadataSchema(schema)) as KubeObject['metadata']),
  };
  if (applied.metadata.resourceVersion) merged.metadata.resourceVersion = applied.metadata.resourceVersion;
  keepLastAppliedCurrent(merged, applied, by.manager);
  const unchanged = mine && isDeepStrictEqual(mine.fieldsV1, appliedSet);
  merged.metadata.managedFields = [...entries, unchanged ? mine : entryFor(by, 'Apply', appliedSet)];
  return merged;
}

/** kubectl's client-side apply: its manager and the annotation it keeps its configuration in. */
const clientSideApplyManager = 'kubectl-client-side-apply';
const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The fields of kubectl's last client-side applied configuration (none without one). A conflict
 * with client-side apply over one of them is the same user moving the object to server-side
 * apply: it is taken over without `force`, as kube-apiserver does, so `kubectl apply
 * --server-side` works on objects applied before.
 */
function lastAppliedFields(live: KubeObject, schema: Schema): FieldSet {
  const text = live.metadata.annotations?.[lastAppliedAnnotation];
  if (!text) return {};
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return {};
  }
  return isRecord(lastApplied) ? fieldSetOf(lastApplied, schema) : {};
}

/**
 * kubectl applying server-side to an object that has a client-side apply annotation: the
 * annotation follows, so going back to client-side apply later does not undo anything.
 */
function keepLastAppliedCurrent(merged: KubeObject, applied: KubeObject, manager: string): void {
  const annotations = merged.metadata.annotations;
  if (manager !== 'kubectl' || !annotations?.[lastAppliedAnnotation]) return;
  const { managedFields: _m, resourceVersion: _r, ...meta } = applied.metadata;
  const withoutSelf = { ...(meta.annotations ?? {}) };
  delete withoutSelf[lastAppliedAnnotation];
  const configuration = { ...applied, metadata: { ...meta, annotations: withoutSelf } };
  merged.metadata.annotations = {
    ...annotations,
    [lastAppliedAnnotation]: `${JSON.stringify(configuration)}\n`,
  };
}

function metadataSchema(schema: Schema): Schema | undefined {
  return (schema.properties as Record<string, Schema> | undefined)?.metadata;
}

interface Conflict {
  entry: ManagedFieldsEntry;
  path: FieldPath;
}

function findConflicts(
  others: readonly ManagedFieldsEntry[],
  appliedSet: FieldSet,
  applied: KubeObject,
  live: KubeObject,
): Conflict[] {
  const found: Conflict[] = [];
  for (const entry of others) {
    for (const path of members(intersection(appliedSet, entry.fieldsV1))) {
      // Owning a list item or map as such is no value to disagree on; its fields are.
      if (path[path.length - 1] === '.') continue;
      if (!isDeepStrictEqual(valueAt(applied, path), valueAt(live, path))) found.push({ entry, path });
    }
  }
  return found;
}

/** `.spec.containers[name="web"].image`, as Kubernetes prints a field path in conflicts. */
export function pathText(path: FieldPath): string {
  let text = '';
  for (const element of path) {
    if (element.startsWith('f:')) text += `.${element.slice(2)}`;
    else if (element.startsWith('k:')) {
      const key = JSON.parse(element.slice(2)) as Record<string, unknown>;
      text += `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    } else if (element.startsWith('v:')) text += `[=${element.slice(2)}]`;
  }
  return text;
}

function conflictError(conflicts: readonly Conflict[], request: ApplyRequest): ApiError {
  const byManager = new Map<string, string[]>();
  for (const { entry, path } of conflicts) {
    const who = `conflict with "${entry.manager}"${entry.operation === 'Update' && entry.apiVersion ? ` using ${entry.apiVersion}` : ''}`;
    byManager.set(who, [...(byManager.get(who) ?? []), pathText(path)]);
  }
  const count = conflicts.length;
  const parts = [...byManager].map(([who, paths]) =>
    paths.length === 1
      ? `${who}: ${paths[0]}`
      : `${who.replace(/^conflict/, 'conflicts')}:\n- ${paths.join('\n- ')}`,
  );
  const message = `Apply failed with ${count} conflict${count === 1 ? '' : 's'}: ${parts.join('\n')}`;
  const causes: StatusCause[] = conflicts.map(({ entry, path }) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with "${entry.manager}"${entry.apiVersion ? ` using ${entry.apiVersion}` : ''}`,
    field: pathText(path),
  }));
  return new ApiError('Conflict', message, {
    name: request.applied.metadata.name ?? '',
    group: request.gr.group,
    kind: request.gr.resource,
    causes,
  });
}
