// Every component schema the hub publishes, by kube-apiserver's component name, and the
// subset a group-version document needs (the schemas its operations reach).
import { apiextensionsSchemas } from './apiextensions-schemas.js';
import { appsSchemas } from './apps-schemas.js';
import { authReviewSchemas } from './auth-review-schemas.js';
import { batchSchemas } from './batch-schemas.js';
import { containerSchemas } from './container-schemas.js';
import { coreObjectSchemas } from './core-object-schemas.js';
import { endpointSliceSchemas } from './endpointslice-schemas.js';
import { leaseSchemas } from './lease-schemas.js';
import { metaSchemas } from './meta-schemas.js';
import { networkingSchemas } from './networking-schemas.js';
import { nodeSchemas } from './node-schemas.js';
import { podSchemas } from './pod-schemas.js';
import { podSpecSchemas } from './pod-spec-schemas.js';
import { rbacSchemas } from './rbac-schemas.js';
import { replicationControllerSchemas } from './replication-controller-schemas.js';
import type { Schema, SchemaTable } from './schema-builders.js';
import { serviceSchemas } from './service-schemas.js';
import { statefulSetSchemas } from './statefulset-schemas.js';
import { storageSchemas } from './storage-schemas.js';
import { volumeSchemas } from './volume-schemas.js';

const tables: readonly SchemaTable[] = [
  metaSchemas,
  containerSchemas,
  volumeSchemas,
  podSpecSchemas,
  podSchemas,
  nodeSchemas,
  serviceSchemas,
  coreObjectSchemas,
  storageSchemas,
  replicationControllerSchemas,
  appsSchemas,
  statefulSetSchemas,
  batchSchemas,
  networkingSchemas,
  leaseSchemas,
  endpointSliceSchemas,
  apiextensionsSchemas,
  rbacSchemas,
  authReviewSchemas,
];

function mergeTables(parts: readonly SchemaTable[]): ReadonlyMap<string, Schema> {
  const all = new Map<string, Schema>();
  for (const part of parts) {
    for (const [name, schema] of Object.entries(part)) {
      // Two files defining one name would silently shadow each other: fail at load instead.
      if (all.has(name)) throw new Error(`OpenAPI schema ${name} is defined twice`);
      all.set(name, schema);
    }
  }
  return all;
}

export const componentSchemas: ReadonlyMap<string, Schema> = mergeTables(tables);

const refPattern = /^#\/components\/schemas\/(.+)$/;

/** Names of the components a schema (or any JSON value) refers to. */
export function referencedSchemas(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedSchemas(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const match = key === '$ref' && typeof child === 'string' ? refPattern.exec(child) : null;
      if (match?.[1]) found.add(match[1]);
      else referencedSchemas(child, found);
    }
  }
  return found;
}

/**
 * The named schemas and everything they reach, sorted by name for a stable document. `own`:
 * schemas beside the built-in ones (a custom resource's), looked up first.
 */
export function schemaClosure(
  roots: Iterable<string>,
  own: ReadonlyMap<string, Schema> = new Map(),
): SchemaTable {
  const pending = [...roots];
  const reached = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (reached.has(name)) continue;
    const schema = own.get(name) ?? componentSchemas.get(name);
    if (!schema) throw new Error(`OpenAPI schema ${name} is referenced but not defined`);
    reached.add(name);
    pending.push(...referencedSchemas(schema));
  }
  return Object.fromEntries(
    [...reached].sort().map((name) => [name, (own.get(name) ?? componentSchemas.get(name)) as Schema]),
  );
}
