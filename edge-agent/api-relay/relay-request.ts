// What the relay needs to know about a pod's request, and what it may do with it offline. Pure.
// Offline the relay makes no authorization decision of its own beyond "this exact token was
// allowed this exact read before": the cache is keyed by a hash of the token and the request, so
// a token never reads what another token read, nor a request it never made online.
import { createHash } from 'node:crypto';

export interface RelayRequestInfo {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  /** A hash of the bearer token; undefined without one (anonymous). */
  identity: string | undefined;
  watch: boolean;
  /** GET or HEAD, not a watch: a read the cache may answer. */
  read: boolean;
}

/**
 * Query parameters that do not change what a read answers from a cache (a list's snapshot is
 * served as is, whatever resourceVersion was asked for) or only say how long a watch may last.
 */
const volatileParams = new Set([
  'resourceVersion',
  'resourceVersionMatch',
  'timeout',
  'timeoutSeconds',
  'allowWatchBookmarks',
  'sendInitialEvents',
  'watch',
]);

/**
 * Who a request is, as a hash: its bearer token, and the user it impersonates with it, if any
 * (one token acting as two users must not share a cache). No token: nobody.
 */
export function bearerIdentity(authorization: string | undefined, impersonation = ''): string | undefined {
  const token = authorization && /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (!token) return undefined;
  return createHash('sha256')
    .update(impersonation ? `${token}\n${impersonation}` : token)
    .digest('hex');
}

/** The impersonation headers of a request as one string (empty without them). */
export function impersonationOf(headers: Record<string, string | string[] | undefined>): string {
  const parts = ['impersonate-user', 'impersonate-group', 'impersonate-uid'].map((name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(',') : (value ?? '');
  });
  return parts.some((p) => p !== '') ? JSON.stringify(parts) : '';
}

export function describeRequest(
  method: string,
  url: string,
  authorization: string | undefined,
  impersonation = '',
): RelayRequestInfo {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const query = new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
  const watchParam = query.get('watch');
  const get = method === 'GET' || method === 'HEAD';
  const watch = method === 'GET' && (watchParam === 'true' || watchParam === '1' || path.includes('/watch/'));
  return {
    method,
    path,
    query,
    identity: bearerIdentity(authorization, impersonation),
    watch,
    read: get && !watch,
  };
}

/** The cache key of a read: token, method, path, the query that matters and the Accept header. */
export function readKey(info: RelayRequestInfo, accept: string | undefined): string | undefined {
  if (!info.identity || !info.read) return undefined;
  const query = [...info.query.entries()]
    .filter(([name]) => !volatileParams.has(name))
    .sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)));
  const text = [
    info.identity,
    info.method === 'HEAD' ? 'GET' : info.method,
    info.path,
    new URLSearchParams(query).toString(),
    accept ?? '',
  ].join('\n');
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The collection a list or watch is of, for this token: a watch may be held open offline only
 * when the same token listed the same collection, with the same selectors, online.
 */
export function collectionKey(info: RelayRequestInfo): string | undefined {
  if (!info.identity || info.method !== 'GET') return undefined;
  const selectors = ['labelSelector', 'fieldSelector'].map((name) => info.query.get(name) ?? '').join('\n');
  return createHash('sha256').update([info.identity, info.path, selectors].join('\n')).digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type OfflineAnswer =
  | { kind: 'cached' }
  | { kind: 'hold-watch' }
  | { kind: 'unavailable'; why: 'write' | 'unknown' };

/** What the relay answers while the hub is unreachable. */
export function offlineAnswer(
  info: RelayRequestInfo,
  cache: { hasRead(key: string): boolean; hasCollection(key: string): boolean },
  accept: string | undefined,
): OfflineAnswer {
  if (info.watch) {
    const key = collectionKey(info);
    return key && cache.hasCollection(key) ? { kind: 'hold-watch' } : { kind: 'unavailable', why: 'unknown' };
  }
  if (!info.read) return { kind: 'unavailable', why: 'write' };
  const key = readKey(info, accept);
  return key && cache.hasRead(key) ? { kind: 'cached' } : { kind: 'unavailable', why: 'unknown' };
}
