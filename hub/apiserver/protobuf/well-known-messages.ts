// The k8s.io/apimachinery messages whose wire form is fixed by apimachinery rather than by a
// kind's schema: the runtime.Unknown envelope after the "k8s\0" magic, and the value types a
// schema names by `$ref` whose JSON form is not an object (Time, MicroTime, Quantity,
// IntOrString) or is JSON carried as bytes (FieldsV1, RawExtension). Field numbers follow
// apimachinery's generated.proto files (pkg/runtime, pkg/apis/meta/v1, pkg/api/resource,
// pkg/util/intstr).
import protobuf from 'protobufjs';
import { intOrStringName, metaName, quantityName } from '../openapi/schema-builders.js';

/** How a value type's message becomes JSON (message-to-json.ts). */
export type ValueJson = 'time' | 'microTime' | 'quantity' | 'intOrString' | 'rawJson';

interface WellKnown {
  readonly message: string;
  readonly json: ValueJson;
  readonly fields: readonly [name: string, id: number, type: string][];
}

const timestamp: WellKnown['fields'] = [
  ['seconds', 1, 'int64'],
  ['nanos', 2, 'int32'],
];

/** By OpenAPI component name. */
const valueTypes: ReadonlyMap<string, WellKnown> = new Map([
  [
    metaName('Time'),
    { message: 'k8s.io.apimachinery.pkg.apis.meta.v1.Time', json: 'time', fields: timestamp },
  ],
  [
    metaName('MicroTime'),
    { message: 'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime', json: 'microTime', fields: timestamp },
  ],
  [
    quantityName,
    {
      message: 'k8s.io.apimachinery.pkg.api.resource.Quantity',
      json: 'quantity',
      fields: [['string', 1, 'string']],
    },
  ],
  [
    intOrStringName,
    {
      message: 'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
      json: 'intOrString',
      // type 0 is Int, 1 is String.
      fields: [
        ['type', 1, 'int64'],
        ['intVal', 2, 'int32'],
        ['strVal', 3, 'string'],
      ],
    },
  ],
  [
    metaName('FieldsV1'),
    {
      message: 'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
      json: 'rawJson',
      fields: [['Raw', 1, 'bytes']],
    },
  ],
  [
    'io.k8s.apimachinery.pkg.runtime.RawExtension',
    {
      message: 'k8s.io.apimachinery.pkg.runtime.RawExtension',
      json: 'rawJson',
      fields: [['raw', 1, 'bytes']],
    },
  ],
]);

function defineType(root: protobuf.Root, fullName: string, fields: WellKnown['fields']): protobuf.Type {
  const dot = fullName.lastIndexOf('.');
  const type = new protobuf.Type(fullName.slice(dot + 1));
  for (const [name, id, fieldType] of fields) type.add(new protobuf.Field(name, id, fieldType));
  root.define(fullName.slice(0, dot)).add(type);
  return type;
}

/** The value type a component name stands for, defined in `root` at first use. */
export function valueType(root: protobuf.Root, component: string): protobuf.Type | undefined {
  const known = valueTypes.get(component);
  if (!known) return undefined;
  return (
    (root.lookup(known.message) as protobuf.Type | null) ?? defineType(root, known.message, known.fields)
  );
}

const jsonByMessage: ReadonlyMap<string, ValueJson> = new Map(
  [...valueTypes.values()].map((known) => [`.${known.message}`, known.json]),
);

/** How the message type of this full name (leading dot) becomes JSON, if it is a value type. */
export function valueJsonOf(type: protobuf.Type): ValueJson | undefined {
  return jsonByMessage.get(type.fullName);
}

/** runtime.Unknown { typeMeta, raw, contentEncoding, contentType }, in a root of its own. */
export function buildEnvelopeType(): protobuf.Type {
  const root = new protobuf.Root();
  defineType(root, 'k8s.io.apimachinery.pkg.runtime.TypeMeta', [
    ['apiVersion', 1, 'string'],
    ['kind', 2, 'string'],
  ]);
  const unknown = defineType(root, 'k8s.io.apimachinery.pkg.runtime.Unknown', [
    ['typeMeta', 1, 'TypeMeta'],
    ['raw', 2, 'bytes'],
    ['contentEncoding', 3, 'string'],
    ['contentType', 4, 'string'],
  ]);
  root.resolveAll();
  return unknown;
}
