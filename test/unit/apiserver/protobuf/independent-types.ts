// Test helper: Kubernetes protobuf bodies encoded with types parsed from fixtures/k8s-subset.proto,
// which is written from Kubernetes' generated.proto and shares nothing with the hub's schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const root = protobuf.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'k8s-subset.proto'), 'utf8'), {
  keepCase: true,
}).root;

/** The magic, then a runtime.Unknown around `fields` encoded as the subset's `message`. */
export function independentBody(apiVersion: string, kind: string, message: string, fields: object): Buffer {
  const type = root.lookupType(`flotilla.test.${message}`);
  const raw = type.encode(type.fromObject(fields)).finish();
  const unknown = root.lookupType('flotilla.test.Unknown');
  const envelope = unknown.encode(
    unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' }),
  );
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), envelope.finish()]);
}
