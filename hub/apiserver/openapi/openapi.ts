// The OpenAPI v3 documents kubectl downloads before `apply` (and `explain`):
// GET /openapi/v3 returns an index of group-version documents, each with a content hash
// in its URL so clients can cache it forever; GET /openapi/v3/<gv path>?hash=... returns
// one document. JSON only: kubectl asks for JSON when fetching these.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../../../api/resources.js';
import { servedResources } from '../../kinds/builtin-kinds.js';
import { type PathItem, resourcePaths } from './resource-paths.js';
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

function buildDocument(members: ResourceInfo[]): object {
  const paths: Record<string, PathItem> = {};
  for (const info of members) Object.assign(paths, resourcePaths(info));
  return {
    openapi: '3.0.0',
    info: { title: 'Flotilla', version: 'v1.32.0' },
    paths,
    components: { schemas: schemaClosure(referencedSchemas(paths)) },
  };
}

function buildAll(): Map<string, BuiltDocument> {
  const groups = new Map<string, ResourceInfo[]>();
  for (const info of servedResources) {
    const key = groupVersionPath(info);
    groups.set(key, [...(groups.get(key) ?? []), info]);
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

let cache: Map<string, BuiltDocument> | undefined;

// Built on first use: the documents only change when the code does.
function documents(): Map<string, BuiltDocument> {
  cache ??= buildAll();
  return cache;
}

/** The body of GET /openapi/v3. */
export function openApiIndex(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, built] of documents()) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${built.hash}` };
  }
  return { paths };
}

/** The document for `api/v1`, `apis/apps/v1`, ...; undefined for unknown group versions. */
export function openApiDocument(groupVersionPath: string): object | undefined {
  return documents().get(stripSlashes(groupVersionPath))?.document;
}

/** The same document serialized, for serving without re-encoding it per request. */
export function openApiDocumentJson(groupVersionPath: string): string | undefined {
  return documents().get(stripSlashes(groupVersionPath))?.json;
}

/** The content hash in the document's serverRelativeURL; stable while the code is. */
export function openApiDocumentHash(groupVersionPath: string): string | undefined {
  return documents().get(stripSlashes(groupVersionPath))?.hash;
}

function stripSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
