// Where each field of a schema object travels in Kubernetes' protobuf encoding
// (k8s.io/api/<group>/<version>/generated.proto), written beside the schema as a table of
// field numbers: `object({ ...fields }, { protobuf: { name: 1, value: pointer(2) } })`.
//
// The OpenAPI type already says what the wire type is (int32 and int64 by `format`, bytes by
// `format: byte`, maps, lists, Time, Quantity, IntOrString by `$ref`). What only the Go struct
// knows is in the table:
//  - a plain number: a Go value field; gogo-protobuf writes it even when zero, Go's JSON
//    encoder leaves a zero out (`omitempty`), so the decoder drops zero scalars;
//  - pointer(n): a Go pointer field; written only when set, so a zero on the wire is a value;
//  - embedded(n, { ... }): an embedded Go struct (`json:",inline"`), a nested message on the
//    wire whose fields are listed in the inner table and lifted into this object in JSON;
//  - typeMeta: apiVersion and kind of a top-level kind, which travel in the runtime.Unknown
//    envelope rather than in the object's message.
// A property without an entry is not decodable from protobuf (field-numbers.test.ts makes sure
// the kinds that name a protobufMessage have none). The table is kept out of the published
// OpenAPI documents: it sits under a non-enumerable symbol key, which JSON, Object.entries and
// deep equality pass over. So do spreads: a schema copied with `{ ...schema }` loses its table
// (kindSchema gives its copy the table again).

export type ProtobufField =
  | number
  | { readonly number: number; readonly pointer: true }
  | { readonly number: number; readonly embedded: ProtobufFields }
  | typeof typeMeta;

export type ProtobufFields = Readonly<Record<string, ProtobufField>>;

export const typeMeta = 'typeMeta';

/** A Go pointer field: a zero value on the wire is kept. */
export function pointer(number: number): ProtobufField {
  return { number, pointer: true };
}

/** An embedded Go struct whose fields JSON lifts into the parent object. */
export function embedded(number: number, fields: ProtobufFields): ProtobufField {
  return { number, embedded: fields };
}

/** The key under which an object schema keeps its table. */
export const protobufFieldsKey: unique symbol = Symbol('protobuf field numbers');

/** `schema`, given its table (a schema is built once and not changed afterwards). */
export function withProtobufFields<T extends object>(schema: T, fields: ProtobufFields | undefined): T {
  if (fields) Object.defineProperty(schema, protobufFieldsKey, { value: fields, enumerable: false });
  return schema;
}
