// Column definitions shared by several kinds. Names, types and descriptions mirror the
// printers of kube-apiserver (k8s pkg/printers/internalversion); descriptions that came
// from API field docs are those docs.
import type { ColumnType, TableColumnDefinition } from './table-types.js';

export function column(
  name: string,
  type: ColumnType,
  description: string,
  options: { priority?: number; format?: string } = {},
): TableColumnDefinition {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/** A column shown only by `kubectl get -o wide`. */
export function wideColumn(name: string, type: ColumnType, description: string): TableColumnDefinition {
  return column(name, type, description, { priority: 1 });
}

const nameDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some ' +
  'resources may allow a client to request the generation of an appropriate name automatically. ' +
  'Name is primarily intended for creation idempotence and configuration definition. Cannot be ' +
  'updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

const creationTimestampDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was created. ' +
  'It is not guaranteed to be set in happens-before order across separate operations. Clients may ' +
  'not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. ' +
  'Read-only. Null for lists. More info: ' +
  'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** format 'name' tells kubectl which cell identifies the object. */
export const nameColumn = column('Name', 'string', nameDescription, { format: 'name' });

export const ageColumn = column('Age', 'string', creationTimestampDescription);

export const containersColumn = wideColumn(
  'Containers',
  'string',
  'Names of each container in the template.',
);

export const imagesColumn = wideColumn(
  'Images',
  'string',
  'Images referenced by each container in the template.',
);

export const selectorDescription =
  'Label query over pods that should match the replica count. It must match the pod ' +
  "template's labels. More info: " +
  'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';
