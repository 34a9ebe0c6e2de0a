// meta/v1 and other apimachinery types every group-version document refers to:
// ObjectMeta (with its strategic-merge lists), ListMeta, LabelSelector, Time, Quantity,
// IntOrString, Status, DeleteOptions, Patch, Condition and autoscaling/v1 Scale.
import { pointer } from './protobuf-fields.js';
import {
  bool,
  int32,
  int64,
  intOrStringName,
  listOf,
  mergeList,
  metaName,
  object,
  openObject,
  quantityName,
  ref,
  type SchemaTable,
  setList,
  str,
  stringMap,
  time,
} from './schema-builders.js';

const ownerReference = object(
  {
    apiVersion: str('API version of the referent.'),
    blockOwnerDeletion: bool(
      'If true, the owner cannot be deleted from storage before this reference is removed.',
    ),
    controller: bool('If true, this reference points to the managing controller.'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
  },
  {
    required: ['apiVersion', 'kind', 'name', 'uid'],
    description: 'OwnerReference contains enough information to let you identify an owning object.',
    protobuf: {
      apiVersion: 5,
      blockOwnerDeletion: pointer(7),
      controller: pointer(6),
      kind: 1,
      name: 3,
      uid: 4,
    },
  },
);

const objectMeta = object(
  {
    annotations: stringMap('Annotations is an unstructured key value map stored with a resource.'),
    creationTimestamp: time('CreationTimestamp is the server time when this object was created.'),
    deletionGracePeriodSeconds: int64('Number of seconds allowed for this object to gracefully terminate.'),
    deletionTimestamp: time('RFC 3339 date and time at which this resource will be deleted.'),
    finalizers: setList(str(), 'Must be empty before the object is deleted from the registry.'),
    generateName: str('Prefix used by the server to generate a unique name if Name is not provided.'),
    generation: int64('A sequence number representing a specific generation of the desired state.'),
    labels: stringMap('Map of string keys and values that can be used to organize and categorize objects.'),
    managedFields: listOf(ref(metaName('ManagedFieldsEntry')), 'Which field managers manage which fields.'),
    name: str('Name must be unique within a namespace.'),
    namespace: str('Namespace defines the space within which each name must be unique.'),
    ownerReferences: mergeList(ref(metaName('OwnerReference')), 'uid', {
      description: 'List of objects depended by this object.',
    }),
    resourceVersion: str('An opaque value that represents the internal version of this object.'),
    selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated.'),
    uid: str('UID is the unique in time and space value for this object.'),
  },
  {
    description: 'ObjectMeta is metadata that all persisted resources must have.',
    protobuf: {
      name: 1,
      generateName: 2,
      namespace: 3,
      selfLink: 4,
      uid: 5,
      resourceVersion: 6,
      generation: 7,
      creationTimestamp: 8,
      deletionTimestamp: pointer(9),
      deletionGracePeriodSeconds: pointer(10),
      labels: 11,
      annotations: 12,
      ownerReferences: 13,
      finalizers: 14,
      managedFields: 17,
    },
  },
);

const listMeta = object({
  continue: str('Set when the list was truncated; pass it back to get the next page.'),
  remainingItemCount: int64(
    'Number of subsequent items in the list which are not included in this list response.',
  ),
  resourceVersion: str("Identifies the server's internal version of this object."),
  selfLink: str('Deprecated.'),
});

const labelSelector = object(
  {
    matchExpressions: listOf(
      ref(metaName('LabelSelectorRequirement')),
      'A list of label selector requirements, ANDed.',
    ),
    matchLabels: stringMap('A map of {key,value} pairs, each equivalent to an In requirement.'),
  },
  {
    description: 'A label query over a set of resources. An empty selector matches all objects.',
    protobuf: { matchLabels: 1, matchExpressions: 2 },
  },
);

const labelSelectorRequirement = object(
  {
    key: str('The label key that the selector applies to.'),
    operator: str('In, NotIn, Exists or DoesNotExist.'),
    values: listOf(str(), 'Values; must be empty for Exists and DoesNotExist.'),
  },
  { required: ['key', 'operator'], protobuf: { key: 1, operator: 2, values: 3 } },
);

const condition = object(
  {
    lastTransitionTime: time(),
    message: str(),
    observedGeneration: int64(),
    reason: str(),
    status: str('True, False or Unknown.'),
    type: str(),
  },
  {
    required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
    protobuf: { type: 1, status: 2, observedGeneration: 3, lastTransitionTime: 4, reason: 5, message: 6 },
  },
);

const status = object({
  apiVersion: str(),
  code: int32('Suggested HTTP return code for this status.'),
  details: openObject('Extended data associated with the reason.'),
  kind: str(),
  message: str('A human-readable description of the status of this operation.'),
  metadata: ref(metaName('ListMeta')),
  reason: str('A machine-readable description of why this operation is in the Failure status.'),
  status: str('Success or Failure.'),
});

const deleteOptions = object({
  apiVersion: str(),
  dryRun: listOf(str()),
  gracePeriodSeconds: int64(),
  kind: str(),
  orphanDependents: bool(),
  preconditions: object({ resourceVersion: str(), uid: str() }),
  propagationPolicy: str('Orphan, Background or Foreground.'),
});

const managedFieldsEntry = object(
  {
    apiVersion: str(),
    fieldsType: str(),
    fieldsV1: ref(
      metaName('FieldsV1'),
      'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
    ),
    manager: str(),
    operation: str(),
    subresource: str(),
    time: time(),
  },
  {
    protobuf: {
      manager: 1,
      operation: 2,
      apiVersion: 3,
      time: pointer(4),
      fieldsType: 6,
      fieldsV1: pointer(7),
      subresource: 8,
    },
  },
);

const scale = {
  ...object({
    apiVersion: str(),
    kind: str(),
    metadata: ref(metaName('ObjectMeta')),
    spec: object({ replicas: int32('desired number of instances for the scaled object.') }),
    status: object({ replicas: int32(), selector: str() }, { required: ['replicas'] }),
  }),
  'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }],
};

export const metaSchemas: SchemaTable = {
  [metaName('ObjectMeta')]: objectMeta,
  [metaName('ListMeta')]: listMeta,
  [metaName('OwnerReference')]: ownerReference,
  [metaName('ManagedFieldsEntry')]: managedFieldsEntry,
  [metaName('LabelSelector')]: labelSelector,
  [metaName('LabelSelectorRequirement')]: labelSelectorRequirement,
  [metaName('Condition')]: condition,
  [metaName('Status')]: status,
  [metaName('DeleteOptions')]: deleteOptions,
  [metaName('Patch')]: openObject(
    'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  ),
  [metaName('Time')]: { type: 'string', format: 'date-time' },
  [metaName('MicroTime')]: { type: 'string', format: 'date-time' },
  // As kube's v3 document has it (Quantity.OpenAPIV3OneOfTypes): `cpu: 2` is as valid as `cpu: "2"`.
  [quantityName]: {
    oneOf: [{ type: 'string' }, { type: 'number' }],
    description: 'A fixed-point number such as 100m, 128Mi or 2.',
  },
  [intOrStringName]: { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': openObject('An embedded object in any format.'),
  'io.k8s.api.autoscaling.v1.Scale': scale,
  // Free-form JSON, such as the `data` of a ControllerRevision.
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': openObject(),
};
