// Turns a decoded Kubernetes protobuf message into the object the JSON path would have parsed.
//
// The Go marshaller behind kubectl (gogo-protobuf, proto2) writes every non-pointer field, zero
// or not, and a pointer field only when it is set. Go's JSON encoder, by contrast, leaves out
// zero-valued `omitempty` fields. So, per field kind:
//  - scalars: a zero value ('' / 0 / false) is dropped unless the field is a Go pointer,
//    marked [(nullable) = true] in the .proto texts (replicas: 0, optional: false);
//  - messages: always kept (Go JSON never omits structs: `resources: {}`, `status: {}`);
//  - lists and maps: kept when not empty; map values are kept as they are (`a: ""`);
//  - [(embed) = true] fields (Go `json:",inline"`) are lifted into their parent;
//  - Time -> RFC 3339 string (dropped when zero, JSON null), Quantity -> its string,
//    IntOrString -> number or string, bytes -> base64, int64 -> number.
import protobuf from 'protobufjs';
import { specialTypes } from './kube-types.js';

type JsonObject = Record<string, unknown>;

export function messageToJson(type: protobuf.Type, message: object): JsonObject {
  const fields = message as JsonObject;
  const out: JsonObject = {};
  for (const field of type.fieldsArray) {
    // Decoding sets only the fields present on the wire as own properties.
    if (!Object.hasOwn(fields, field.name)) continue;
    const value = fieldToJson(field, fields[field.name]);
    if (value === undefined) continue;
    if (field.options?.['(embed)'] === true && isObject(value)) Object.assign(out, value);
    else out[field.name] = value;
  }
  return out;
}

function fieldToJson(field: protobuf.Field, value: unknown): unknown {
  if (field.map) {
    const entries = Object.entries(value as JsonObject);
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([key, item]) => [key, valueToJson(field, item)]));
  }
  if (field.repeated) {
    const items = value as unknown[];
    return items.length === 0 ? undefined : items.map((item) => valueToJson(field, item));
  }
  const json = valueToJson(field, value);
  if (json === undefined || isPlainMessage(field)) return json;
  return field.options?.['(nullable)'] === true || !isZero(json) ? json : undefined;
}

function valueToJson(field: protobuf.Field, value: unknown): unknown {
  const type = field.resolvedType;
  if (!(type instanceof protobuf.Type)) return scalarToJson(value);
  const message = value as JsonObject;
  switch (type.fullName) {
    case specialTypes.time:
      return timeToJson(message);
    case specialTypes.quantity:
      return message.string === '' ? undefined : message.string;
    case specialTypes.intOrString:
      // intstr.Type: 0 is Int, 1 is String.
      return toNumber(message.type) === 1 ? message.strVal : message.intVal;
    default:
      return messageToJson(type, message);
  }
}

function isPlainMessage(field: protobuf.Field): boolean {
  const type = field.resolvedType;
  return type instanceof protobuf.Type && !(Object.values(specialTypes) as string[]).includes(type.fullName);
}

function scalarToJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return isLong(value) ? value.toNumber() : value;
}

/** metav1.Time marshals as RFC 3339 in UTC with whole seconds; the zero time as null. */
function timeToJson(time: JsonObject): string | undefined {
  const seconds = toNumber(time.seconds);
  if (seconds === 0 && toNumber(time.nanos) === 0) return undefined;
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface LongLike {
  toNumber(): number;
}

// int64 fields decode to Long objects when the `long` package is installed.
function isLong(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && typeof (value as LongLike).toNumber === 'function';
}

function toNumber(value: unknown): number {
  if (isLong(value)) return value.toNumber();
  return typeof value === 'number' ? value : 0;
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
