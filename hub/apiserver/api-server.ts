// The API server's request handler: authentication and RBAC authorization, then non-resource paths (version,
// health, discovery, OpenAPI), then resources. Transport-free, so tests can drive it with
// any http(s) server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../api/clock.js';
import { ApiError } from '../../api/errors.js';
import { type Logger, silentLogger } from '../../api/logger.js';
import type { RbacView, UserInfo } from '../../api/rbac/rbac-types.js';
import type { DashboardHandler } from '../dashboard/serve-dashboard.js';
import type { KindRegistry } from '../kinds/kind-registry.js';
import type { HeartbeatView } from '../node-heartbeats.js';
import { observeRequest, type ServedRequest, trackLongRunning } from '../prometheus/api-request-metrics.js';
import type { HubMetrics } from '../prometheus/hub-metrics.js';
import type { TokenIssuer } from '../serviceaccount/token-issuer.js';
import type { Store } from '../store/store.js';
import type { TokenAuthenticator } from './auth/authenticate.js';
import { escalationCheck } from './auth/escalation-check.js';
import { authenticateRequest, authorizeRequest } from './auth/request-auth.js';
import { serveReview } from './auth/reviews.js';
import {
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  negotiateAggregated,
} from './discovery.js';
import type { PodLogSource } from './handlers/pod-log.js';
import { handleResource, sendNotFound } from './handlers/resource-handler.js';
import { RequestAdmission } from './http/request-admission.js';
import { type ApiServerLimits, defaultApiServerLimits } from './http/request-limits.js';
import { requestTarget } from './http/request-target.js';
import { sendError, sendJson } from './http/respond.js';
import { type IssuerDiscovery, issuerDocument } from './issuer-discovery.js';
import type { UsageView } from './metrics/gateway-usage.js';
import { openApiDocumentHash, openApiDocumentJson, openApiIndex } from './openapi/openapi.js';
import { serveOpenApiV2 } from './openapi/openapi-v2.js';
import type { Registry } from './registry/registry.js';
import { type RequestInfo, requestInfo } from './request-info.js';
import { versionInfo } from './version.js';

export interface ApiServerDeps {
  registry: Registry;
  store: Store;
  clock: Clock;
  /** The user of a bearer token the hub knows (the admin token); client certificates are read from the connection. */
  tokenUser: TokenAuthenticator;
  /** The RBAC objects every request is authorized against (auth/rbac-cache.ts). */
  rbac: RbacView;
  /** host:port clients reach this server on, for /api's serverAddressByClientCIDRs. */
  serverAddress: string;
  /** False until the hub has finished starting (readyz). */
  isReady?: () => boolean;
  /** Pod logs from the gateways, over MQTT (hub/apiserver/node-requests/node-requests.ts). */
  podLogs?: PodLogSource;
  /** In-flight limits and timeouts (default: kube-apiserver's). */
  limits?: ApiServerLimits;
  /** Gateways' latest heartbeats in memory (LAST-SEEN); the stored Leases lag them. */
  heartbeats?: HeartbeatView;
  /** The web dashboard's page and files (hub/dashboard), answered before authentication. */
  dashboard?: DashboardHandler;
  /** Gateways' CPU and memory use, for metrics.k8s.io (hub/apiserver/metrics/gateway-usage.ts). */
  usage?: UsageView;
  /** The hub's Prometheus metrics: recorded for every request, served on /metrics. */
  metrics?: HubMetrics;
  /** Issues ServiceAccount tokens (serviceaccounts/NAME/token). */
  tokens?: TokenIssuer;
  /** /.well-known/openid-configuration and /openid/v1/jwks; not served when absent. */
  issuerDiscovery?: IssuerDiscovery;
  /** Where unexpected errors of a request are said (default: nowhere). */
  log?: Logger;
}

/** Paths Kubernetes' default RBAC opens to unauthenticated clients (system:public-info-viewer). */
const publicPaths = new Set(['/version', '/healthz', '/livez', '/readyz']);

export function createApiHandler(deps: ApiServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const admission = new RequestAdmission(deps.limits ?? defaultApiServerLimits);
  const metrics = deps.metrics;
  if (metrics) metrics.sources.inflight = () => admission.inFlight();
  return (req, res) => {
    const started = performance.now();
    const served: ServedRequest = {};
    const finished = serve(deps, admission, req, res, served).catch((err: unknown) => {
      // A client that went away mid-request (its body aborted) is not a server error.
      const gone = req.socket.destroyed;
      if (!(err instanceof ApiError) && !gone)
        (deps.log ?? silentLogger).error(`${req.method} ${req.url}: ${describe(err)}`);
      // Refused before its body arrived (too large, too slow): answer, then close the
      // connection rather than read a body nobody wants to keep it reusable.
      if (!req.complete) res.shouldKeepAlive = false;
      sendError(res, err);
    });
    if (metrics) void finished.then(() => observeRequest(metrics, req, res, served, started));
  };
}

async function serve(
  deps: ApiServerDeps,
  admission: RequestAdmission,
  req: IncomingMessage,
  res: ServerResponse,
  served: ServedRequest,
): Promise<void> {
  const { path, query } = requestTarget(req.url);
  if (deps.dashboard?.(req, res, path)) return;
  const open =
    publicPaths.has(path) ||
    path.startsWith('/healthz/') ||
    path.startsWith('/livez/') ||
    path.startsWith('/readyz/');
  const user = open ? undefined : authenticateRequest(deps, req);

  const info = requestInfo(req.method ?? 'GET', path, query);
  served.info = info;
  served.known =
    info.type === 'resource' && deps.registry.lookup(info.group, info.version, info.resource) !== undefined;
  if (user) authorizeRequest(deps, user, info, req.method ?? 'GET');
  const done = admission.admit(path, info, res);
  const running = deps.metrics ? trackLongRunning(deps.metrics, req, served) : undefined;
  try {
    await route(deps, req, res, path, query, info, user);
  } finally {
    running?.();
    done();
  }
}

async function route(
  deps: ApiServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  info: RequestInfo,
  user: UserInfo | undefined,
): Promise<void> {
  if (info.type === 'nonresource') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendNotFound(res);
      return;
    }
    if (path === '/metrics' && deps.metrics) {
      const { contentType, text } = await deps.metrics.exposition();
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    serveNonResource(deps, req, res, path, query);
    return;
  }

  const resource = deps.registry.lookup(info.group, info.version, info.resource);
  if (!resource) {
    sendNotFound(res);
    return;
  }
  const ctx = {
    req,
    res,
    query,
    request: info,
    resource,
    registry: deps.registry,
    store: deps.store,
    clock: deps.clock,
    podLogs: deps.podLogs,
    heartbeats: deps.heartbeats,
    usage: deps.usage,
    tokens: deps.tokens,
    user,
    admit: user && escalationCheck(user, deps.rbac, resource.info),
  };
  if (resource.definition.review && info.verb === 'create' && info.subresource === undefined) {
    return serveReview(ctx, deps.rbac);
  }
  await handleResource(ctx);
}

interface Reply {
  code: number;
  body: unknown;
  contentType?: string;
}

const text = (code: number, body: string): Reply => ({
  code,
  body,
  contentType: 'text/plain; charset=utf-8',
});

function serveNonResource(
  deps: ApiServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): void {
  if (path === '/openapi/v2') {
    serveOpenApiV2(req, res, deps.registry.kinds);
  } else if (path.startsWith('/openapi/v3/')) {
    serveOpenApiDocument(req, res, deps.registry.kinds, path.slice('/openapi/v3/'.length), query.get('hash'));
  } else {
    const reply = nonResourceReply(deps, req.headers.accept, path);
    if (reply) sendJson(res, reply.code, reply.body, reply.contentType);
    else sendNotFound(res);
  }
}

/** Version, health and discovery documents; undefined for paths that are not served. */
function nonResourceReply(deps: ApiServerDeps, accept: string | undefined, path: string): Reply | undefined {
  if (path === '/version') return { code: 200, body: versionInfo() };
  const issuerDoc = deps.issuerDiscovery && issuerDocument(deps.issuerDiscovery, path);
  if (issuerDoc) return { code: 200, body: issuerDoc };
  if (path === '/readyz' || path.startsWith('/readyz/')) {
    const ready = deps.isReady?.() ?? true;
    return ready ? text(200, 'ok') : text(503, 'not ready');
  }
  if (['/healthz', '/livez'].includes(path) || path.startsWith('/healthz/') || path.startsWith('/livez/')) {
    return text(200, 'ok');
  }
  const kinds = deps.registry.kinds;
  if (path === '/openapi/v3') return { code: 200, body: openApiIndex(kinds) };
  const served = kinds.resources();
  if (path === '/api' || path === '/apis') {
    const aggregated = negotiateAggregated(accept);
    if (aggregated) {
      const body = aggregatedDiscovery(served, path === '/api', aggregated);
      return { code: 200, body, contentType: aggregated };
    }
    return { code: 200, body: path === '/api' ? apiVersions(deps.serverAddress) : apiGroupList(served) };
  }
  const parts = path.split('/').filter(Boolean);
  let doc: object | undefined;
  if (parts[0] === 'api' && parts.length === 2) doc = apiResourceList(served, '', parts[1]!);
  else if (parts[0] === 'apis' && parts.length === 2) doc = apiGroupDocument(served, parts[1]!);
  else if (parts[0] === 'apis' && parts.length === 3) doc = apiResourceList(served, parts[1]!, parts[2]!);
  return doc ? { code: 200, body: doc } : undefined;
}

/**
 * A document addressed by its content hash never changes, so kubectl may keep it in its disk
 * cache (kube-apiserver sends the same immutable caching headers).
 */
function serveOpenApiDocument(
  req: IncomingMessage,
  res: ServerResponse,
  kinds: KindRegistry,
  gvPath: string,
  requested: string | null,
): void {
  const json = openApiDocumentJson(gvPath, kinds);
  const hash = openApiDocumentHash(gvPath, kinds);
  if (json === undefined || hash === undefined) {
    sendNotFound(res);
    return;
  }
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

/** An unexpected error with its stack, the first place to look. */
function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
