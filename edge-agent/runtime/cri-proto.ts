// Loads proto/cri-runtime-v1.proto once and exposes its methods for a generic gRPC client.
// tsc does not copy .proto files into dist/, so the file is looked up next to this module first
// (a build that copies it) and then under the package root, found by walking up to package.json;
// the same lookup works from edge-agent/runtime/ (tsx) and dist/edge-agent/runtime/ (built).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MethodDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
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

export type CriMethodTable = Map<CriMethod, MethodDefinition<object, object>>;

let cached: CriMethodTable | undefined;

export function criMethods(): CriMethodTable {
  if (cached) return cached;
  const definition = loadSync(findCriProto(), {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
  });
  const table: CriMethodTable = new Map();
  for (const service of ['RuntimeService', 'ImageService'] as const) {
    const methods = definition[`runtime.v1.${service}`] as Record<string, MethodDefinition<object, object>>;
    for (const [name, method] of Object.entries(methods)) {
      table.set(`${service}/${name}` as CriMethod, method);
    }
  }
  cached = table;
  return table;
}
