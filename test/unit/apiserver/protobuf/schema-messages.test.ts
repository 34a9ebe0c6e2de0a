// Message types built from small schemas written for the test: what each schema construct
// becomes on the wire and in JSON, and which schemas the builder refuses.
import assert from 'node:assert/strict';
import { embedded, pointer } from '../../../../hub/apiserver/openapi/protobuf-fields.js';
import {
  bytes,
  int64,
  listOf,
  metaName,
  object,
  openObject,
  ref,
  type Schema,
  str,
} from '../../../../hub/apiserver/openapi/schema-builders.js';
import { messageToJson } from '../../../../hub/apiserver/protobuf/message-to-json.js';
import { SchemaMessages } from '../../../../hub/apiserver/protobuf/schema-messages.js';

function typeOf(schemas: Record<string, Schema>, name = 'io.k8s.api.test.v1.Thing') {
  const messages = new SchemaMessages(new Map(Object.entries(schemas)));
  const type = messages.message(name);
  messages.resolve();
  return type;
}

/** Encodes `fields` (proto names) with the built type and decodes them back as JSON. */
function roundTrip(schema: Schema, fields: object): Record<string, unknown> {
  const type = typeOf({ 'io.k8s.api.test.v1.Thing': schema });
  const bytes = type.encode(type.fromObject(fields)).finish();
  return messageToJson(type, type.decode(bytes));
}

describe('protobuf messages built from schemas', () => {
  it('names component messages after Kubernetes proto packages and inline ones after their place', () => {
    const type = typeOf({
      'io.k8s.api.test.v1.Thing': object(
        { inner: object({ a: str() }, { protobuf: { a: 1 } }) },
        { protobuf: { inner: 1 } },
      ),
    });
    assert.equal(type.fullName, '.k8s.io.api.test.v1.Thing');
    assert.equal(type.fields.inner!.resolvedType!.fullName, '.k8s.io.api.test.v1.Thing_inner');
  });

  it('leaves a property without a number out of the message, so it is skipped on the wire', () => {
    const withNumber = typeOf({
      'io.k8s.api.test.v1.Thing': object({ a: str(), b: str() }, { protobuf: { a: 1, b: 2 } }),
    });
    const body = withNumber.encode(withNumber.fromObject({ a: 'x', b: 'y' })).finish();
    const schema = object({ a: str(), b: str() }, { protobuf: { a: 1 } });
    const withoutB = typeOf({ 'io.k8s.api.test.v1.Thing': schema });
    assert.deepEqual(Object.keys(withoutB.fields), ['a']);
    assert.deepEqual(messageToJson(withoutB, withoutB.decode(body)), { a: 'x' });
  });

  it('writes MicroTime with microseconds and the JSON that FieldsV1 and RawExtension carry', () => {
    const schema = object(
      {
        at: ref(metaName('MicroTime')),
        fields: ref(metaName('FieldsV1')),
        raw: ref('io.k8s.apimachinery.pkg.runtime.RawExtension'),
        none: ref('io.k8s.apimachinery.pkg.runtime.RawExtension'),
      },
      { protobuf: { at: 1, fields: pointer(2), raw: 3, none: 4 } },
    );
    const json = roundTrip(schema, {
      at: { seconds: 1_700_000_000, nanos: 123_456_789 },
      fields: { Raw: Buffer.from('{"f:metadata":{}}') },
      raw: { raw: Buffer.from('[1,"two"]') },
      none: {},
    });
    assert.deepEqual(json, {
      at: '2023-11-14T22:13:20.123456Z',
      fields: { 'f:metadata': {} },
      raw: [1, 'two'],
    });
  });

  it('turns bytes into base64, int64 into numbers, and lifts embedded structs', () => {
    const schema = object(
      { blob: bytes(), big: int64(), name: str(), tags: listOf(str()), extra: openObject() },
      { protobuf: { blob: 1, ref: embedded(2, { name: 1, big: pointer(2) }), tags: 3, extra: 4 } },
    );
    const json = roundTrip(schema, {
      blob: Buffer.from([0xff, 0x00]),
      ref: { name: 'n', big: 2 ** 40 },
      tags: [],
      extra: {},
    });
    assert.deepEqual(json, { blob: '/wA=', name: 'n', big: 2 ** 40, extra: {} });
  });

  it('refuses a table naming a property the schema does not have', () => {
    const schema = object({ a: str() }, { protobuf: { a: 1, typo: 2 } });
    assert.throws(
      () => typeOf({ 'io.k8s.api.test.v1.Thing': schema }),
      /Thing\.typo: has a protobuf field number but no schema/,
    );
    const embeds = object({ a: str() }, { protobuf: { inner: embedded(1, { b: 1 }) } });
    assert.throws(
      () => typeOf({ 'io.k8s.api.test.v1.Thing': embeds }),
      /Thing\.inner: embeds b, which the schema does not have/,
    );
  });

  it('refuses a property numbered twice, two properties on one number, and what protobuf cannot hold', () => {
    const twice = object({ a: str() }, { protobuf: { a: 1, inner: embedded(2, { a: 1 }) } });
    assert.throws(() => typeOf({ 'io.k8s.api.test.v1.Thing': twice }), /a has two protobuf field numbers/);
    const clash = object({ a: str(), b: str() }, { protobuf: { a: 1, b: 1 } });
    assert.throws(() => typeOf({ 'io.k8s.api.test.v1.Thing': clash }), /duplicate id 1/);
    const nested = object({ grid: listOf(listOf(str())) }, { protobuf: { grid: 1 } });
    assert.throws(
      () => typeOf({ 'io.k8s.api.test.v1.Thing': nested }),
      /Thing\.grid: protobuf cannot nest lists and maps/,
    );
    const vague = object({ n: { type: 'integer' } }, { protobuf: { n: 1 } });
    assert.throws(() => typeOf({ 'io.k8s.api.test.v1.Thing': vague }), /Thing\.n: no protobuf wire type/);
    assert.throws(() => typeOf({}, 'io.k8s.api.test.v1.Missing'), /Missing is referenced but not defined/);
  });
});
