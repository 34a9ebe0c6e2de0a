// core/v1 Namespace, ConfigMap, Secret and Event, plus ObjectReference which events
// and endpoints point with.
import { pointer } from './protobuf-fields.js';
import {
  bool,
  bytes,
  coreName,
  int32,
  kindSchema,
  listKindSchema,
  listOf,
  mapOf,
  mergeList,
  metaName,
  object,
  ref,
  type SchemaTable,
  str,
  stringMap,
  time,
} from './schema-builders.js';

const kind = (name: string) => ({ group: '', version: 'v1', kind: name });

const objectReference = object(
  {
    apiVersion: str(),
    fieldPath: str('A piece of the object, e.g. spec.containers{name}.'),
    kind: str(),
    name: str(),
    namespace: str(),
    resourceVersion: str(),
    uid: str(),
  },
  { protobuf: { kind: 1, namespace: 2, name: 3, uid: 4, apiVersion: 5, resourceVersion: 6, fieldPath: 7 } },
);

const event = kindSchema(
  kind('Event'),
  {
    action: str(),
    count: int32('The number of times this event has occurred.'),
    eventTime: ref(metaName('MicroTime')),
    firstTimestamp: time('The time at which the event was first recorded.'),
    involvedObject: ref(coreName('ObjectReference'), 'The object that this event is about.'),
    lastTimestamp: time('The time at which the most recent occurrence of this event was recorded.'),
    message: str('A human-readable description of the status of this operation.'),
    reason: str(
      "A short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    related: ref(coreName('ObjectReference')),
    reportingComponent: str(),
    reportingInstance: str(),
    series: object(
      { count: int32(), lastObservedTime: ref(metaName('MicroTime')) },
      { protobuf: { count: 1, lastObservedTime: 2 } },
    ),
    source: object({ component: str(), host: str() }, { protobuf: { component: 1, host: 2 } }),
    type: str('Normal or Warning.'),
  },
  'Event is a report of an event somewhere in the cluster.',
  {
    involvedObject: 2,
    reason: 3,
    message: 4,
    source: 5,
    firstTimestamp: 6,
    lastTimestamp: 7,
    count: 8,
    type: 9,
    eventTime: 10,
    series: pointer(11),
    action: 12,
    related: pointer(13),
    reportingComponent: 14,
    reportingInstance: 15,
  },
);

export const coreObjectSchemas: SchemaTable = {
  [coreName('Namespace')]: kindSchema(
    kind('Namespace'),
    {
      spec: object({ finalizers: listOf(str()) }, { protobuf: { finalizers: 1 } }),
      status: object(
        {
          conditions: mergeList(
            object(
              { lastTransitionTime: time(), message: str(), reason: str(), status: str(), type: str() },
              {
                required: ['type', 'status'],
                protobuf: { type: 1, status: 2, lastTransitionTime: 4, reason: 5, message: 6 },
              },
            ),
            'type',
          ),
          phase: str('Active or Terminating.'),
        },
        { protobuf: { phase: 1, conditions: 2 } },
      ),
    },
    'Namespace provides a scope for Names.',
    { spec: 2, status: 3 },
  ),
  [coreName('NamespaceList')]: listKindSchema(kind('Namespace')),
  [coreName('ConfigMap')]: kindSchema(
    kind('ConfigMap'),
    {
      binaryData: mapOf(bytes(), 'Binary data, base64 encoded.'),
      data: stringMap('Data contains the configuration data.'),
      immutable: bool('When true, the data can no longer be changed (only the object deleted).'),
    },
    'ConfigMap holds configuration data for pods to consume.',
    { data: 2, binaryData: 3, immutable: pointer(4) },
  ),
  [coreName('ConfigMapList')]: listKindSchema(kind('ConfigMap')),
  [coreName('Secret')]: kindSchema(
    kind('Secret'),
    {
      data: mapOf(bytes(), 'Secret data, base64 encoded.'),
      immutable: bool('When true, the data can no longer be changed (only the object deleted).'),
      stringData: stringMap('Write-only convenience field: non-binary secret data in string form.'),
      type: str('Used to facilitate programmatic handling of secret data.'),
    },
    'Secret holds secret data of a certain type.',
    { data: 2, type: 3, stringData: 4, immutable: pointer(5) },
  ),
  [coreName('SecretList')]: listKindSchema(kind('Secret')),
  [coreName('Event')]: event,
  [coreName('EventList')]: listKindSchema(kind('Event')),
  [coreName('ObjectReference')]: objectReference,
};
