// Which fields of a kind a strategic merge patch merges instead of replacing, read from the
// kind's OpenAPI schema: the `x-kubernetes-patch-strategy` and `x-kubernetes-patch-merge-key`
// extensions that kubectl reads to build its patches are the same facts the hub merges by, so
// client and server cannot disagree. A field without a strategy is atomic: a list in the patch
// replaces the stored list wholesale, as kube-apiserver does.
//
// Paths are field names joined by '.', with list elements adding no segment, so
// `spec.containers.env` is the env list of every container of a Pod.
import { kindNamed } from '../../kinds/builtin-kinds.js';
import { apiSchemaName, type Schema } from '../openapi/schema-builders.js';
import { componentSchemas } from '../openapi/schema-registry.js';
import { resolve } from '../openapi/schema-type-check.js';

export interface FieldStrategy {
  /** `patchStrategy:"merge"`: the list merges with the stored one instead of replacing it. */
  merge: boolean;
  /** `patchMergeKey`: identifies list elements; absent for merged lists of primitives. */
  mergeKey?: string;
  /** `patchStrategy:"retainKeys"`: a `$retainKeys` directive is expected on this map/element. */
  retainKeys?: boolean;
}

export type KindStrategies = ReadonlyMap<string, FieldStrategy>;

function strategyOf(schema: Schema): FieldStrategy | undefined {
  const declared = schema['x-kubernetes-patch-strategy'];
  if (typeof declared !== 'string') return undefined;
  const parts = declared.split(',');
  const mergeKey = schema['x-kubernetes-patch-merge-key'];
  return {
    merge: parts.includes('merge'),
    ...(typeof mergeKey === 'string' ? { mergeKey } : {}),
    ...(parts.includes('retainKeys') ? { retainKeys: true } : {}),
  };
}

function collect(schema: Schema, prefix: string, into: Map<string, FieldStrategy>, seen: Set<Schema>): void {
  let resolved = resolve(schema);
  if (resolved.type === 'array' && resolved.items) resolved = resolve(resolved.items as Schema);
  // A schema already on the path is recursive (JSONSchemaProps): nothing new below it.
  if (seen.has(resolved)) return;
  seen.add(resolved);
  const properties = (resolved.properties ?? {}) as Record<string, Schema>;
  for (const [name, property] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const strategy = strategyOf(property);
    if (strategy) into.set(path, strategy);
    collect(property, path, into, seen);
  }
  seen.delete(resolved);
}

const byKind = new Map<string, KindStrategies>();

/** The merge table of a built-in kind, or undefined for a kind without a schema (every list atomic). */
export function patchStrategiesFor(kind: string): KindStrategies | undefined {
  const cached = byKind.get(kind);
  if (cached) return cached;
  const info = kindNamed(kind)?.info;
  const root = info && componentSchemas.get(apiSchemaName(info.group, info.version, info.kind));
  if (!root) return undefined;
  const table = new Map<string, FieldStrategy>();
  collect(root, '', table, new Set());
  byKind.set(kind, table);
  return table;
}

/** The strategy declared for the field at `path`, if any. */
export function strategyAt(strategies: KindStrategies | undefined, path: string): FieldStrategy | undefined {
  return strategies?.get(path);
}
