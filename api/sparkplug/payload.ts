// Sparkplug B payloads: metric values typed by the specification's datatype codes, encoded with
// protobufjs from the schema in payload-schema.ts. Which oneof field carries a value follows
// from its datatype (spec 6.4.16): 8- to 32-bit integers in int_value, 64-bit ones and DateTime
// in long_value, Float, Double, Boolean, String/Text/UUID in their own fields.
import { payloadType } from './payload-schema.js';

/** Datatype codes of the specification (the same numbers in Metric.datatype). */
export const DataType = {
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export type MetricValue = number | boolean | string | null;

export interface Metric {
  /** Set in BIRTH messages; DATA messages name a metric by its alias only. */
  name?: string;
  alias?: number;
  /** ms since the epoch, UTC. */
  timestamp: number;
  datatype: DataTypeCode;
  /** null is sent as is_null with no value. */
  value: MetricValue;
}

export interface Payload {
  timestamp: number;
  metrics: Metric[];
  /** Absent on NDEATH (spec: the death certificate carries no sequence number). */
  seq?: number;
}

/** The oneof field a datatype's value travels in. */
export function valueField(datatype: DataTypeCode): string {
  switch (datatype) {
    case DataType.Int8:
    case DataType.Int16:
    case DataType.Int32:
    case DataType.UInt8:
    case DataType.UInt16:
    case DataType.UInt32:
      return 'intValue';
    case DataType.Int64:
    case DataType.UInt64:
    case DataType.DateTime:
      return 'longValue';
    case DataType.Float:
      return 'floatValue';
    case DataType.Double:
      return 'doubleValue';
    case DataType.Boolean:
      return 'booleanValue';
    default:
      return 'stringValue';
  }
}

/**
 * A value in its wire form. Signed integers travel as their two's complement in the unsigned
 * field (spec 6.4.16: an Int32 of -1 is int_value 4294967295); protobufjs' writer already
 * writes a negative number given for a uint64 as its 64-bit two's complement.
 */
function wireValue(datatype: DataTypeCode, value: number | boolean | string): unknown {
  const field = valueField(datatype);
  if (field === 'intValue') return Number(value) >>> 0;
  if (field === 'longValue') return Math.trunc(Number(value));
  return value;
}

export function encodePayload(payload: Payload): Buffer {
  const metrics = payload.metrics.map((m) => {
    const wire: Record<string, unknown> = { timestamp: m.timestamp, datatype: m.datatype };
    if (m.name !== undefined) wire.name = m.name;
    if (m.alias !== undefined) wire.alias = m.alias;
    if (m.value === null) wire.isNull = true;
    else wire[valueField(m.datatype)] = wireValue(m.datatype, m.value);
    return payloadType.lookupType('Metric').create(wire);
  });
  const message = payloadType.create({
    timestamp: payload.timestamp,
    metrics,
    ...(payload.seq !== undefined ? { seq: payload.seq } : {}),
  });
  return Buffer.from(payloadType.encode(message).finish());
}
