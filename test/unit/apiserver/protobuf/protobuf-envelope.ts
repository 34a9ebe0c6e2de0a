// Test helpers: build Kubernetes protobuf bodies the way client-go frames them (magic, then a
// runtime.Unknown around the object's message), from plain objects named as in Kubernetes'
// generated.proto (embedded structs by their field names: volumeSource, handler, ...).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubeObjectType, unknownType } from '../../../../hub/apiserver/protobuf/kube-types.js';

export const magic = Buffer.from('k8s\0', 'latin1');

/** A body kubectl 1.32 sent, captured into fixtures/<name>.pb. */
export function fixture(name: string): Buffer {
  return readFileSync(join(import.meta.dirname, 'fixtures', `${name}.pb`));
}

export function envelope(apiVersion: string, kind: string, raw: Uint8Array, extra: object = {}): Buffer {
  const message = unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw, ...extra });
  return Buffer.concat([magic, unknownType.encode(message).finish()]);
}

/** The object's own message bytes, encoded from proto field names (volumeSource, handler, ...). */
export function objectBytes(apiVersion: string, kind: string, fields: object): Uint8Array {
  const type = kubeObjectType(apiVersion, kind);
  if (!type) throw new Error(`no protobuf type for ${apiVersion} ${kind}`);
  return type.encode(type.fromObject(fields)).finish();
}

export function protobufBody(apiVersion: string, kind: string, fields: object): Buffer {
  return envelope(apiVersion, kind, objectBytes(apiVersion, kind, fields));
}
