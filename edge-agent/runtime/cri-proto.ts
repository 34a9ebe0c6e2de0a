// Loads proto/cri-runtime-v1.proto once and exposes its methods for a generic gRPC client.
// protobufjs parses the file straight into the message types the calls encode and decode. Not
// @grpc/proto-loader: it also builds protobufjs' reflection of descriptor.proto and a
// DescriptorProto object for every message, twice per method, for gRPC reflection servers; that
// cost an agent 1 MiB of heap it never reads (measured 0.95 MiB heapUsed after GC).
// tsc does not copy .proto files into dist/, so the file is looked up next to this module first
// (a build that copies it) and then under the package root, found by walking up to package.json;
// the same lookup works from edge-agent/runtime/ (tsx) and dist/edge-agent/runtime/ (built).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { CriMethod } from './cri-wire.js';

const PROTO_FILE = 'cri-runtime-v1.proto';
const PROTO_FROM_ROOT = join('edge-agent', 'runtime', 'proto', PROTO_FILE);

export function findCriProto(fromDir: string = dirname(fileURLToPath(import.meta.url))): string {
  const beside = join(fromDir, 'proto', PROTO_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, PROTO_FROM_ROOT))) {
      return join(dir, PROTO_FROM_ROOT);
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(`${PROTO_FILE} not found beside ${fromDir} or under the package root (${PROTO_FROM_ROOT})`);
}

/** What a unary call needs: the gRPC path, and the codecs of its request and response. */
export interface CriMethodDefinition {
  path: string;
  requestSerialize: (request: object) => Buffer;
  responseDeserialize: (bytes: Buffer) => object;
}

export type CriMethodTable = Map<CriMethod, CriMethodDefinition>;

/** Decoded messages as cri-wire.ts types them: int64 as decimal strings, enums by name, defaults set. */
const decodeOptions: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true };

function methodDefinition(service: string, method: protobuf.Method): CriMethodDefinition {
  const request = method.resolvedRequestType!;
  const response = method.resolvedResponseType!;
  return {
    path: `/${service}/${method.name}`,
    requestSerialize: (value) => request.encode(request.fromObject(value)).finish() as Buffer,
    responseDeserialize: (bytes) => response.toObject(response.decode(bytes), decodeOptions),
  };
}

let cached: CriMethodTable | undefined;

export function criMethods(): CriMethodTable {
  if (cached) return cached;
  // keepCase: the proto's snake_case field names, as cri-wire.ts types them.
  const root = new protobuf.Root().loadSync(findCriProto(), { keepCase: true }).resolveAll();
  const table: CriMethodTable = new Map();
  for (const name of ['RuntimeService', 'ImageService'] as const) {
    const service = root.lookupService(`runtime.v1.${name}`);
    for (const method of service.methodsArray) {
      table.set(`${name}/${method.name}` as CriMethod, methodDefinition(`runtime.v1.${name}`, method));
    }
  }
  cached = table;
  return table;
}
