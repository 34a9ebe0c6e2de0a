// Turns a decoded Kubernetes protobuf message into the object the JSON path would have parsed.
//
// The Go marshaller behind kubectl (gogo-protobuf, proto2) writes every non-pointer field, zero
// or not, and a pointer field only when it is set. Go's JSON encoder, by contrast, leaves out
// zero-valued `omitempty` fields. So, per field kind:
//  - scalars: a zero value ('' / 0 / false) is dropped unless the field is a Go pointer
//    (`pointer(n)` in the schema's field numbers: replicas: 0, optional: false);
//  - messages: always kept (Go JSON never omits structs: `resources: {}`, `status: {}`);
//  - lists and maps: kept when not empty; map values are kept as they are (`a: ""`);
//  - embedded fields (Go `json:",inline"`) are lifted into their parent;
//  - Time -> RFC 3339 string in whole seconds, MicroTime -> with microseconds (both dropped
//    when zero, JSON null), Quantity -> its string, IntOrString -> number or string,
//    FieldsV1 and RawExtension -> the JSON they carry, bytes -> base64, int64 -> number.
//
// What to do with each field is worked out once per message type (a plan), not per request.
import protobuf from 'protobufjs';
import type { FieldOptions } from './schema-messages.js';
import { type ValueJson, valueJsonOf } from './well-known-messages.js';

type JsonObject = Record<string, unknown>;

interface FieldPlan {
  readonly name: string;
  readonly shape: 'single' | 'list' | 'map';
  readonly value: ValueJson | 'message' | 'scalar';
  /** The field's message type, for `message`. */
  readonly type: protobuf.Type | undefined;
  /** Keep a zero scalar (a Go pointer); messages are always kept. */
  readonly keepZero: boolean;
  readonly embedded: boolean;
}

const plans = new WeakMap<protobuf.Type, readonly FieldPlan[]>();

function planOf(type: protobuf.Type): readonly FieldPlan[] {
  let plan = plans.get(type);
  if (!plan) {
    plan = type.fieldsArray.map(fieldPlan);
    plans.set(type, plan);
  }
  return plan;
}

function fieldPlan(field: protobuf.Field): FieldPlan {
  const options = (field.options ?? {}) as FieldOptions;
  const resolved = field.resolve().resolvedType;
  const type = resolved instanceof protobuf.Type ? resolved : undefined;
  const value = type ? (valueJsonOf(type) ?? 'message') : 'scalar';
  return {
    name: field.name,
    shape: field.map ? 'map' : field.repeated ? 'list' : 'single',
    value,
    type,
    keepZero: value === 'message' || options.pointer === true,
    embedded: options.embedded === true,
  };
}

export function messageToJson(type: protobuf.Type, message: object): JsonObject {
  const fields = message as JsonObject;
  const out: JsonObject = {};
  for (const plan of planOf(type)) {
    // Decoding sets only the fields present on the wire as own properties (and every list and
    // map, empty when absent).
    if (!Object.hasOwn(fields, plan.name)) continue;
    const value = fieldToJson(plan, fields[plan.name]);
    if (value === undefined) continue;
    if (plan.embedded && isObject(value)) Object.assign(out, value);
    else out[plan.name] = value;
  }
  return out;
}

function fieldToJson(plan: FieldPlan, value: unknown): unknown {
  if (plan.shape === 'map') {
    const entries = Object.entries(value as JsonObject);
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([key, item]) => [key, valueToJson(plan, item)]));
  }
  if (plan.shape === 'list') {
    const items = value as unknown[];
    return items.length === 0 ? undefined : items.map((item) => valueToJson(plan, item));
  }
  const json = valueToJson(plan, value);
  return json === undefined || plan.keepZero || !isZero(json) ? json : undefined;
}

function valueToJson(plan: FieldPlan, value: unknown): unknown {
  const message = value as JsonObject;
  switch (plan.value) {
    case 'scalar':
      return scalarToJson(value);
    case 'message':
      return messageToJson(plan.type!, message);
    case 'time':
      return timeToJson(message, false);
    case 'microTime':
      return timeToJson(message, true);
    case 'quantity':
      return message.string === '' ? undefined : message.string;
    case 'intOrString':
      // intstr.Type: 0 is Int, 1 is String.
      return toNumber(message.type) === 1 ? message.strVal : message.intVal;
    case 'rawJson':
      return rawJson(message);
  }
}

function scalarToJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return isLong(value) ? value.toNumber() : value;
}

/**
 * metav1.Time marshals as RFC 3339 in UTC with whole seconds, metav1.MicroTime with
 * microseconds; the zero time as null.
 */
function timeToJson(time: JsonObject, micro: boolean): string | undefined {
  const seconds = toNumber(time.seconds);
  const nanos = toNumber(time.nanos);
  if (seconds === 0 && nanos === 0) return undefined;
  const iso = new Date(seconds * 1000).toISOString().slice(0, -'.000Z'.length);
  if (!micro) return `${iso}Z`;
  return `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** FieldsV1 { Raw } and RawExtension { raw } carry JSON text; empty is JSON null. */
function rawJson(message: JsonObject): unknown {
  const raw = (message.raw ?? message.Raw) as Uint8Array | undefined;
  if (!raw || raw.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    throw new Error('an embedded raw object is not JSON');
  }
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
