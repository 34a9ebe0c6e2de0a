// Bodies the decoder must refuse or pass over, and how parseBody routes the protobuf media type.
import assert from 'node:assert/strict';
import { ApiError } from '../../../../api/errors.js';
import { parseBody } from '../../../../hub/apiserver/http/read-body.js';
import {
  decodeKubernetesProtobuf,
  isProtobufContentType,
} from '../../../../hub/apiserver/protobuf/decode-object.js';
import { envelope, fixture, magic, objectBytes } from './protobuf-envelope.js';

type Json = Record<string, any>;

function rejects(body: Buffer, message: RegExp): void {
  assert.throws(
    () => decodeKubernetesProtobuf(body),
    (err: unknown) => err instanceof ApiError && err.code === 400 && message.test(err.message),
  );
}

describe('protobuf request bodies the decoder refuses or passes over', () => {
  it('skips fields it does not know, as protobuf readers must', () => {
    // Field 99 of ConfigMap (varint) and field 99 of ObjectMeta (length-delimited).
    const metadata = Buffer.from([0x0a, 0x01, 0x78, 0x9a, 0x06, 0x02, 0x0a, 0x00]);
    const raw = Buffer.concat([
      Buffer.from([0x0a, metadata.length]),
      metadata,
      Buffer.from([0x98, 0x06, 0x07]),
    ]);
    assert.deepEqual(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', raw)), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
    });
  });

  it('rejects a body without the k8s magic number', () => {
    rejects(Buffer.from('{"kind":"ConfigMap"}'), /does not start with the Kubernetes magic number/);
    rejects(Buffer.from('k8s'), /magic number/);
  });

  it('rejects kinds it cannot decode, naming the ones it can', () => {
    const body = envelope('apps/v1', 'StatefulSet', new Uint8Array());
    rejects(body, /cannot decode kind "StatefulSet" in version "apps\/v1" from protobuf/);
    rejects(body, /supported kinds are v1 ConfigMap, .*apps\/v1 Deployment, .*batch\/v1 Job/);
  });

  it('rejects truncated messages and encodings it does not support', () => {
    const raw = objectBytes('v1', 'ConfigMap', { metadata: { name: 'cm' }, data: { a: 'b' } });
    rejects(envelope('v1', 'ConfigMap', raw.subarray(0, raw.length - 2)), /malformed protobuf v1 ConfigMap/);
    rejects(Buffer.concat([magic, Buffer.from([0x0a, 0x20, 0x0a])]), /malformed protobuf envelope/);
    rejects(envelope('v1', 'ConfigMap', raw, { contentEncoding: 'gzip' }), /contentEncoding "gzip"/);
  });

  it('rejects nesting past the protobuf limit and embedded JSON that is not JSON', () => {
    // Field 99 as start-group tags, 100,000 deep: skipping them must not overflow the stack.
    const groups = Buffer.alloc(200_000, Buffer.from([0x9b, 0x06]));
    rejects(envelope('v1', 'ConfigMap', groups), /malformed protobuf v1 ConfigMap: maximum nesting depth/);
    const managedFields = { manager: 'kubectl', fieldsV1: { Raw: Buffer.from('{"f:data":') } };
    const raw = objectBytes('v1', 'ConfigMap', { metadata: { name: 'cm', managedFields: [managedFields] } });
    rejects(
      envelope('v1', 'ConfigMap', raw),
      /malformed protobuf v1 ConfigMap: an embedded raw object is not JSON/,
    );
  });

  it('answers any corruption of a real body with the object or a 400, never another error', () => {
    const original = fixture('job-from-cronjob');
    let seed = 1;
    // A small deterministic generator (xorshift), so a failure can be replayed.
    const next = (bound: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % bound;
    };
    const outcomes = { decoded: 0, refused: 0 };
    for (let i = 0; i < 200; i++) {
      const body = Buffer.from(original);
      for (let flips = 1 + next(4); flips > 0; flips--)
        body[magic.length + next(body.length - magic.length)] = next(256);
      const cut = i % 3 === 0 ? body.subarray(0, magic.length + next(body.length - magic.length)) : body;
      try {
        assert.equal(typeof decodeKubernetesProtobuf(cut), 'object');
        outcomes.decoded++;
      } catch (err) {
        assert.ok(err instanceof ApiError && err.code === 400, `case ${i}: ${(err as Error).stack}`);
        outcomes.refused++;
      }
    }
    assert.ok(outcomes.decoded > 20 && outcomes.refused > 20, JSON.stringify(outcomes));
  });

  it('recognises the protobuf media type with or without parameters', () => {
    assert.equal(isProtobufContentType('application/vnd.kubernetes.protobuf'), true);
    assert.equal(isProtobufContentType('Application/VND.kubernetes.protobuf; charset=binary'), true);
    assert.equal(isProtobufContentType('application/vnd.kubernetes.protobuf;stream=watch'), true);
    assert.equal(isProtobufContentType('application/json'), false);
    assert.equal(isProtobufContentType(undefined), false);
  });

  it('is what parseBody returns for the protobuf media type', () => {
    const parsed = parseBody(fixture('namespace'), 'application/vnd.kubernetes.protobuf') as Json;
    assert.deepEqual(parsed.metadata, { name: 'team-a' });
    assert.equal(parseBody(Buffer.alloc(0), 'application/vnd.kubernetes.protobuf'), undefined);
    assert.throws(() => parseBody(Buffer.from('\x00'), 'application/cbor'), /unknown format/);
  });
});
