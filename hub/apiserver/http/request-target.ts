// The request target exactly as the client sent it, split into path and query. Routing works on
// this raw path: WHATWG URL parsing (`new URL(req.url)`) resolves `.` and `..` segments — also
// percent-encoded ones such as `%2e%2e` — so `DELETE …/configmaps/..` would reach the namespace
// itself. Kubernetes never resolves them either: it refuses such names (see request-info.ts).
import { badRequest } from '../../../api/errors.js';

export interface RequestTarget {
  /** Still percent-encoded; without trailing slashes (except for `/` itself). */
  path: string;
  query: URLSearchParams;
}

export function requestTarget(rawUrl: string | undefined): RequestTarget {
  const url = rawUrl ?? '/';
  const queryAt = url.indexOf('?');
  let path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  // RFC 9112 section 3.2: a server must accept the absolute form too (`GET https://host/api`).
  const absolute = /^https?:\/\/[^/]*/i.exec(path);
  if (absolute) path = path.slice(absolute[0].length) || '/';
  if (!path.startsWith('/'))
    throw badRequest(`the request path must start with "/": ${JSON.stringify(path)}`);
  if (path.length > 1) path = path.replace(/\/+$/, '') || '/';
  return { path, query };
}

/** A path segment that would walk the path (`.`, `..`) or split it (an encoded `/`), once decoded. */
export function isTraversalSegment(decoded: string): boolean {
  return decoded === '.' || decoded === '..' || decoded.includes('/');
}

/** Percent-decodes one segment; malformed escapes are a 400. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`malformed path segment ${JSON.stringify(segment)}`);
  }
}
