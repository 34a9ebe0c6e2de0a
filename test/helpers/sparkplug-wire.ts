// An independent reader of Sparkplug B payloads for the tests: protobuf's wire format read by
// hand (varints, length-delimited fields, fixed32/64) with the Payload and Metric field numbers
// of the specification written out again here, so that it shares no code or schema with the
// hub's encoder (api/sparkplug/payload-schema.ts).

export interface WireMetric {
  name?: string;
  alias?: number;
  timestamp?: number;
  datatype?: number;
  isNull?: boolean;
  /** The value of whichever oneof field was set, with the field's number. */
  value?: number | bigint | boolean | string | Buffer;
  valueField?: number;
}

export interface WirePayload {
  timestamp?: number;
  seq?: number;
  uuid?: string;
  metrics: WireMetric[];
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new Error('truncated length-delimited field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  fixed(n: 4 | 8): Buffer {
    const out = this.buf.subarray(this.pos, this.pos + n);
    if (out.length !== n) throw new Error('truncated fixed field');
    this.pos += n;
    return out;
  }
  /** Each field as [number, wire type, raw value]. */
  *fields(): Generator<[number, number, bigint | Buffer]> {
    while (!this.done) {
      const key = this.varint();
      const field = Number(key >> 3n);
      const wire = Number(key & 7n);
      if (wire === 0) yield [field, wire, this.varint()];
      else if (wire === 2) yield [field, wire, this.bytes()];
      else if (wire === 5) yield [field, wire, this.fixed(4)];
      else if (wire === 1) yield [field, wire, this.fixed(8)];
      else throw new Error(`wire type ${wire} of field ${field} not expected`);
    }
  }
}

function readMetric(buf: Buffer): WireMetric {
  const m: WireMetric = {};
  for (const [field, , raw] of new Reader(buf).fields()) {
    const n = raw as bigint;
    const b = raw as Buffer;
    switch (field) {
      case 1:
        m.name = b.toString('utf8');
        break;
      case 2:
        m.alias = Number(n);
        break;
      case 3:
        m.timestamp = Number(n);
        break;
      case 4:
        m.datatype = Number(n);
        break;
      case 7:
        m.isNull = n !== 0n;
        break;
      case 10:
        m.value = Number(n);
        m.valueField = 10;
        break;
      case 11:
        m.value = n;
        m.valueField = 11;
        break;
      case 12:
        m.value = b.readFloatLE(0);
        m.valueField = 12;
        break;
      case 13:
        m.value = b.readDoubleLE(0);
        m.valueField = 13;
        break;
      case 14:
        m.value = n !== 0n;
        m.valueField = 14;
        break;
      case 15:
        m.value = b.toString('utf8');
        m.valueField = 15;
        break;
      case 16:
        m.value = Buffer.from(b);
        m.valueField = 16;
        break;
      default:
        break; // 5, 6 (flags), 8 metadata, 9 properties, 17-19: not used by the hub
    }
  }
  return m;
}

export function readPayload(buf: Buffer): WirePayload {
  const p: WirePayload = { metrics: [] };
  for (const [field, , raw] of new Reader(buf).fields()) {
    if (field === 1) p.timestamp = Number(raw as bigint);
    else if (field === 2) p.metrics.push(readMetric(raw as Buffer));
    else if (field === 3) p.seq = Number(raw as bigint);
    else if (field === 4) p.uuid = (raw as Buffer).toString('utf8');
  }
  return p;
}

/** A metric's value as a plain JS value, by its datatype (signed ones from two's complement). */
export function plainValue(m: WireMetric): number | boolean | string | null | undefined {
  if (m.isNull) return null;
  const v = m.value;
  switch (m.datatype) {
    case 1:
      return (Number(v) << 24) >> 24;
    case 2:
      return (Number(v) << 16) >> 16;
    case 3:
      return Number(v) | 0;
    case 4:
      return Number(BigInt.asIntN(64, v as bigint));
    case 8:
    case 13:
      return Number(v as bigint);
    default:
      return v as number | boolean | string | undefined;
  }
}

/**
 * Builds an NCMD payload by hand: one Boolean metric `Node Control/Rebirth` = true, named, or by
 * its alias alone when `alias` is given (as a host that learned it from the NBIRTH may send it).
 */
export function writeRebirthCommand(now: number, alias?: number): Buffer {
  const varint = (n: bigint): number[] => {
    const out: number[] = [];
    do {
      let byte = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) byte |= 0x80;
      out.push(byte);
    } while (n > 0n);
    return out;
  };
  const str = (field: number, s: string) => {
    const bytes = Buffer.from(s, 'utf8');
    return [(field << 3) | 2, ...varint(BigInt(bytes.length)), ...bytes];
  };
  const metric = [
    ...(alias === undefined ? str(1, 'Node Control/Rebirth') : [(2 << 3) | 0, ...varint(BigInt(alias))]),
    (3 << 3) | 0,
    ...varint(BigInt(now)),
    (4 << 3) | 0,
    11,
    (14 << 3) | 0,
    1,
  ];
  return Buffer.from([
    (1 << 3) | 0,
    ...varint(BigInt(now)),
    (2 << 3) | 2,
    ...varint(BigInt(metric.length)),
    ...metric,
  ]);
}
