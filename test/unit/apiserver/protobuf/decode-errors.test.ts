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
