// The OpenAPI v3 documents kubectl downloads before `apply` (and `explain`):
// GET /openapi/v3 returns an index of group-version documents, each with a content hash
// in its URL so clients can cache it forever; GET /openapi/v3/<gv path>?hash=... returns
// one document. JSON only: kubectl asks for JSON when fetching these.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../../../api/resources.js';
import type { KindDefinition } from '../../kinds/kind-definition.js';
import { KindRegistry } from '../../kinds/kind-registry.js';
import { type PathItem, resourcePaths } from './resource-paths.js';
import type { Schema } from './schema-builders.js';
import { referencedSchemas, schemaClosure } from './schema-registry.js';

export const openApiContentType = 'application/json';

/** `api/v1` or `apis/<group>/<version>`, the key kubectl looks a group version up by. */
export function groupVersionPath(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group === '' ? `api/${info.version}` : `apis/${info.group}/${info.version}`;
}

interface BuiltDocument {
  document: object;
  json: string;
  hash: string;
}

function buildDocument(members: readonly KindDefinition[]): object {
  const paths: Record<string, PathItem> = {};
  const own = new Map<string, Schema>();
  for (const kind of members) {
    Object.assign(paths, resourcePaths(kind.info, !kind.custom));
    for (const [name, schema] of Object.entries(kind.schemas ?? {})) own.set(name, schema);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Flotilla', version: 'v1.32.0' },
    paths,
    components: { schemas: schemaClosure(referencedSchemas(paths), own) },
  };
}

function buildAll(kinds: KindRegistry): Map<string, BuiltDocument> {
  const groups = new Map<string, KindDefinition[]>();
  for (const kind of kinds.all()) {
    const key = groupVersionPath(kind.info);
    groups.set(key, [...(groups.get(key) ?? []), kind]);
  }
  const built = new Map<string, BuiltDocument>();
  for (const [path, members] of groups) {
    const document = buildDocument(members);
    const json = JSON.stringify(document);
    // Like kube-apiserver: an upper-case SHA-512 of the served bytes.
    built.set(path, { document, json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() });
  }
  return built;
}

/** The built-in kinds alone, for callers that ask without a hub's registry (tests, tools). */
const builtinOnly = new KindRegistry();

const caches = new WeakMap<KindRegistry, { generation: number; documents: Map<string, BuiltDocument> }>();

// Built on first use and again after the kinds changed (a CustomResourceDefinition came or went).
function documents(kinds: KindRegistry): Map<string, BuiltDocument> {
  let cached = caches.get(kinds);
  if (cached?.generation !== kinds.generation) {
    cached = { generation: kinds.generation, documents: buildAll(kinds) };
    caches.set(kinds, cached);
  }
  return cached.documents;
}

/** The body of GET /openapi/v3. */
export function openApiIndex(kinds = builtinOnly): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, built] of documents(kinds)) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${built.hash}` };
  }
  return { paths };
}

/** The document for `api/v1`, `apis/apps/v1`, ...; undefined for unknown group versions. */
export function openApiDocument(groupVersionPath: string, kinds = builtinOnly): object | undefined {
  return documents(kinds).get(stripSlashes(groupVersionPath))?.document;
}

/** The same document serialized, for serving without re-encoding it per request. */
export function openApiDocumentJson(groupVersionPath: string, kinds = builtinOnly): string | undefined {
  return documents(kinds).get(stripSlashes(groupVersionPath))?.json;
}

/** The content hash in the document's serverRelativeURL; stable while the code is. */
export function openApiDocumentHash(groupVersionPath: string, kinds = builtinOnly): string | undefined {
  return documents(kinds).get(stripSlashes(groupVersionPath))?.hash;
}

function stripSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
