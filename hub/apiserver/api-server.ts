// The API server's request handler: authentication, then non-resource paths (version,
// health, discovery, OpenAPI), then resources. Transport-free, so tests can drive it with
// any http(s) server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../api/clock.js';
import { ApiError, unauthorized } from '../../api/errors.js';
import type { Store } from '../store/store.js';
import {
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  negotiateAggregated,
} from './discovery.js';
import { handleResource, sendNotFound } from './handlers/resource-handler.js';
import { sendError, sendJson } from './http/respond.js';
import { openApiDocumentHash, openApiDocumentJson, openApiIndex } from './openapi/openapi.js';
import type { Registry } from './registry/registry.js';
import { requestInfo } from './request-info.js';
import { versionInfo } from './version.js';

export interface ApiServerDeps {
  registry: Registry;
  store: Store;
  clock: Clock;
  /** True when the bearer token belongs to a known user. */
  authenticate(token: string): boolean;
  /** host:port clients reach this server on, for /api's serverAddressByClientCIDRs. */
  serverAddress: string;
  /** False until the hub has finished starting (readyz). */
  isReady?: () => boolean;
}

/** Paths Kubernetes' default RBAC opens to unauthenticated clients (system:public-info-viewer). */
const publicPaths = new Set(['/version', '/healthz', '/livez', '/readyz']);

export function createApiHandler(deps: ApiServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(deps, req, res).catch((err: unknown) => {
      if (!(err instanceof ApiError)) console.error(`apiserver: ${req.method} ${req.url}:`, err);
      sendError(res, err);
    });
  };
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

async function serve(deps: ApiServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://apiserver');
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;

  if (!publicPaths.has(path) && !path.startsWith('/healthz/') && !path.startsWith('/livez/') && !path.startsWith('/readyz/')) {
    const token = bearerToken(req);
    if (!token || !deps.authenticate(token)) throw unauthorized();
  }

  const info = requestInfo(req.method ?? 'GET', path, url.searchParams);
  if (info.type === 'nonresource') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendNotFound(res);
      return;
    }
    serveNonResource(deps, req, res, path);
    return;
  }

  const resource = deps.registry.lookup(info.group, info.version, info.resource);
  if (!resource) {
    sendNotFound(res);
    return;
  }
  await handleResource({
    req,
    res,
    query: url.searchParams,
    request: info,
    resource,
    registry: deps.registry,
    store: deps.store,
    clock: deps.clock,
  });
}

function serveNonResource(deps: ApiServerDeps, req: IncomingMessage, res: ServerResponse, path: string): void {
  const accept = req.headers.accept;
  if (path === '/version') return sendJson(res, 200, versionInfo());
  if (path === '/readyz' || path.startsWith('/readyz/')) {
    const ready = deps.isReady?.() ?? true;
    return sendJson(res, ready ? 200 : 503, ready ? 'ok' : 'not ready', 'text/plain; charset=utf-8');
  }
  if (['/healthz', '/livez'].includes(path) || path.startsWith('/healthz/') || path.startsWith('/livez/')) {
    return sendJson(res, 200, 'ok', 'text/plain; charset=utf-8');
  }
  if (path === '/api' || path === '/apis') {
    const aggregated = negotiateAggregated(accept);
    if (aggregated) return sendJson(res, 200, aggregatedDiscovery(path === '/api', aggregated), aggregated);
    return sendJson(res, 200, path === '/api' ? apiVersions(deps.serverAddress) : apiGroupList());
  }
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) {
    const doc = apiResourceList('', parts[1]!);
    return doc ? sendJson(res, 200, doc) : sendNotFound(res);
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const doc = apiGroupDocument(parts[1]!);
    return doc ? sendJson(res, 200, doc) : sendNotFound(res);
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const doc = apiResourceList(parts[1]!, parts[2]!);
    return doc ? sendJson(res, 200, doc) : sendNotFound(res);
  }
  if (path === '/openapi/v3') return sendJson(res, 200, openApiIndex());
  if (path.startsWith('/openapi/v3/')) return serveOpenApiDocument(req, res, path.slice('/openapi/v3/'.length));
  sendNotFound(res);
}

/**
 * A document addressed by its content hash never changes, so kubectl may keep it in its disk
 * cache (kube-apiserver sends the same immutable caching headers).
 */
function serveOpenApiDocument(req: IncomingMessage, res: ServerResponse, gvPath: string): void {
  const json = openApiDocumentJson(gvPath);
  const hash = openApiDocumentHash(gvPath);
  if (json === undefined || hash === undefined) return sendNotFound(res);
  const requested = new URL(req.url ?? '/', 'http://apiserver').searchParams.get('hash');
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(json),
    ETag: `"${hash}"`,
  };
  if (requested === hash) {
    headers['Cache-Control'] = 'public, immutable';
    headers.Expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
  } else {
    headers['Cache-Control'] = 'no-cache, private';
  }
  if (req.headers['if-none-match'] === `"${hash}"`) {
    res.writeHead(304, { ETag: `"${hash}"` });
    res.end();
    return;
  }
  res.writeHead(200, headers);
  res.end(json);
}
