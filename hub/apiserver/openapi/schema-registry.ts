// Every component schema the hub publishes, by kube-apiserver's component name, and the
// subset a group-version document needs (the schemas its operations reach).
import { builtinKinds } from '../../kinds/builtin-kinds.js';
import { containerSchemas } from './container-schemas.js';
import { metaSchemas } from './meta-schemas.js';
import { podSpecSchemas } from './pod-spec-schemas.js';
import type { Schema, SchemaTable } from './schema-builders.js';
import { volumeSchemas } from './volume-schemas.js';

/** The tables of sub-structures many kinds share (object meta, pod templates, volumes). */
const sharedTables: readonly SchemaTable[] = [metaSchemas, containerSchemas, volumeSchemas, podSpecSchemas];

function mergeTables(parts: readonly SchemaTable[]): Map<string, Schema> {
  const all = new Map<string, Schema>();
  for (const part of new Set(parts)) {
    for (const [name, schema] of Object.entries(part)) {
      // Two files defining one name would silently shadow each other: fail at load instead.
      if (all.has(name)) throw new Error(`OpenAPI schema ${name} is defined twice`);
      all.set(name, schema);
    }
  }
  return all;
}

/**
 * The shared tables and every built-in kind's (KindDefinition.openapi), merged at first use:
 * the kind definitions import their tables, and modules they load reach this one, so nothing
 * here may read the kinds while modules are still loading.
 */
class ComponentSchemas implements ReadonlyMap<string, Schema> {
  private merged: Map<string, Schema> | undefined;

  private get all(): Map<string, Schema> {
    this.merged ??= mergeTables([
      ...sharedTables,
      ...builtinKinds.flatMap((kind) => (kind.openapi ? [kind.openapi] : [])),
    ]);
    return this.merged;
  }

  get size(): number {
    return this.all.size;
  }
  get(name: string): Schema | undefined {
    return this.all.get(name);
  }
  has(name: string): boolean {
    return this.all.has(name);
  }
  forEach(callback: (schema: Schema, name: string, map: ReadonlyMap<string, Schema>) => void): void {
    for (const [name, schema] of this.all) callback(schema, name, this);
  }
  entries(): MapIterator<[string, Schema]> {
    return this.all.entries();
  }
  keys(): MapIterator<string> {
    return this.all.keys();
  }
  values(): MapIterator<Schema> {
    return this.all.values();
  }
  [Symbol.iterator](): MapIterator<[string, Schema]> {
    return this.all[Symbol.iterator]();
  }
}

export const componentSchemas: ReadonlyMap<string, Schema> = new ComponentSchemas();

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
