// A small vocabulary for writing OpenAPI 3.0 schemas of Kubernetes types, with the
// Kubernetes vendor extensions that clients read (api/openapi-spec/README.md in k8s):
//  - x-kubernetes-patch-merge-key / x-kubernetes-patch-strategy: how `kubectl apply`
//    builds a strategic merge patch for a list (merge elements by key instead of replacing);
//  - x-kubernetes-group-version-kind: which kind a component schema describes;
//  - x-kubernetes-preserve-unknown-fields: fields this document does not spell out.
// An object may also carry its protobuf field numbers (protobuf-fields.ts), from which the hub
// decodes kubectl's protobuf request bodies.
import {
  type ProtobufFields,
  type protobufFieldsKey,
  typeMeta,
  withProtobufFields,
} from './protobuf-fields.js';

export type Schema = { [keyword: string]: unknown; [protobufFieldsKey]?: ProtobufFields };
export type SchemaTable = Record<string, Schema>;

const schemaRefPrefix = '#/components/schemas/';

export const metaPackage = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/**
 * The component name kube-apiserver uses: io.k8s.api.apps.v1.Deployment for a built-in group,
 * com.example.stable.v1.CronTab (the group reversed) for a custom resource's.
 */
export function apiSchemaName(group: string, version: string, kind: string): string {
  if (group.includes('.') && !group.endsWith('.k8s.io')) {
    return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
  }
  // Group names drop their domain: coordination.k8s.io -> coordination; core is ''.
  const pkg = group === '' ? 'core' : (group.split('.')[0] ?? group);
  return `io.k8s.api.${pkg}.${version}.${kind}`;
}

export const coreName = (kind: string) => apiSchemaName('', 'v1', kind);
export const metaName = (kind: string) => `${metaPackage}.${kind}`;
export const quantityName = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const intOrStringName = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

export function withDescription(schema: Schema, description?: string): Schema {
  return description === undefined ? schema : { ...schema, description };
}

export const str = (description?: string): Schema => withDescription({ type: 'string' }, description);
export const int32 = (description?: string): Schema =>
  withDescription({ type: 'integer', format: 'int32' }, description);
export const int64 = (description?: string): Schema =>
  withDescription({ type: 'integer', format: 'int64' }, description);
export const bool = (description?: string): Schema => withDescription({ type: 'boolean' }, description);
export const num = (description?: string): Schema =>
  withDescription({ type: 'number', format: 'double' }, description);
/** Binary data (a Go []byte), base64 in JSON. */
export const bytes = (description?: string): Schema =>
  withDescription({ type: 'string', format: 'byte' }, description);

/** A reference to a named component; wrapped in allOf when it carries a description. */
export function ref(name: string, description?: string): Schema {
  const pointer = { $ref: `${schemaRefPrefix}${name}` };
  return description === undefined ? pointer : { allOf: [pointer], description };
}

export const time = (description?: string): Schema => ref(metaName('Time'), description);
export const quantity = (description?: string): Schema => ref(quantityName, description);
export const intOrString = (description?: string): Schema => ref(intOrStringName, description);

export function object(
  properties: Record<string, Schema>,
  options: { required?: string[]; description?: string; protobuf?: ProtobufFields } = {},
): Schema {
  const schema: Schema = { type: 'object', properties };
  if (options.required && options.required.length > 0) schema.required = options.required;
  return withProtobufFields(withDescription(schema, options.description), options.protobuf);
}

/** A map with free-form keys, e.g. labels or resource limits. */
export function mapOf(values: Schema, description?: string): Schema {
  return withDescription({ type: 'object', additionalProperties: values }, description);
}

export const stringMap = (description?: string): Schema => mapOf({ type: 'string' }, description);

/** An object whose fields this document does not model; clients must not reject them. */
export function openObject(description?: string): Schema {
  return withDescription({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, description);
}

/** A list replaced as a whole by strategic merge patch. */
export function listOf(items: Schema, description?: string): Schema {
  return withDescription({ type: 'array', items }, description);
}

/** A list of objects merged element by element, matched on `mergeKey`. */
export function mergeList(
  items: Schema,
  mergeKey: string,
  options: { retainKeys?: boolean; description?: string } = {},
): Schema {
  return withDescription(
    {
      type: 'array',
      items,
      'x-kubernetes-patch-merge-key': mergeKey,
      'x-kubernetes-patch-strategy': options.retainKeys ? 'merge,retainKeys' : 'merge',
    },
    options.description,
  );
}

/** A list of scalars merged as a set (e.g. finalizers). */
export function setList(items: Schema, description?: string): Schema {
  return withDescription({ type: 'array', items, 'x-kubernetes-patch-strategy': 'merge' }, description);
}

/**
 * The component schema of a top-level kind: TypeMeta, ObjectMeta, then its own fields. With
 * `protobuf` (the numbers of its own fields), the kind is decodable from protobuf: its metadata
 * is field 1, as in every Kubernetes kind, and apiVersion and kind come from the envelope.
 */
export function kindSchema(
  gvk: { group: string; version: string; kind: string },
  fields: Record<string, Schema>,
  description: string,
  protobuf?: ProtobufFields,
): Schema {
  const schema = {
    ...object(
      {
        apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
        kind: str('Kind is a string value representing the REST resource this object represents.'),
        metadata: ref(metaName('ObjectMeta'), "Standard object's metadata."),
        ...fields,
      },
      { description },
    ),
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: gvk.kind, version: gvk.version }],
  };
  return withProtobufFields(
    schema,
    protobuf && { apiVersion: typeMeta, kind: typeMeta, metadata: 1, ...protobuf },
  );
}

/** The `<Kind>List` schema returned by list operations. */
export function listKindSchema(gvk: { group: string; version: string; kind: string }): Schema {
  return {
    ...object(
      {
        apiVersion: str(),
        items: listOf(ref(apiSchemaName(gvk.group, gvk.version, gvk.kind)), `List of ${gvk.kind} objects.`),
        kind: str(),
        metadata: ref(metaName('ListMeta'), 'Standard list metadata.'),
      },
      { required: ['items'], description: `${gvk.kind}List is a list of ${gvk.kind} objects.` },
    ),
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: `${gvk.kind}List`, version: gvk.version }],
  };
}
