// Turns a request path and method into what is being asked for, after the shape of
// kube-apiserver's RequestInfoFactory: /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}.
import { badRequest } from '../../api/errors.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  type: 'resource';
  verb: Verb;
  group: string;
  version: string;
  namespace?: string | undefined;
  resource: string;
  name?: string | undefined;
  subresource?: string | undefined;
}

export interface NonResourceRequest {
  type: 'nonresource';
  path: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

const verbsByMethod: Record<string, Verb | undefined> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeSegment);
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { type: 'nonresource', path };
  }

  // The deprecated /watch/ path prefix means the same as ?watch=true.
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }

  let namespace: string | undefined;
  // "namespaces/{ns}/{resource}..." addresses a namespaced resource; "namespaces/{ns}" alone
  // (or with a subresource such as status/finalize) addresses the namespace object itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !['status', 'finalize'].includes(rest[2]!)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length > 0) return { type: 'nonresource', path };

  method = method.toUpperCase();
  let verb: Verb;
  if (method === 'GET' || method === 'HEAD') {
    const watch = watchPath || isTrue(query.get('watch'));
    verb = name ? (watch ? 'watch' : 'get') : watch ? 'watch' : 'list';
  } else if (method === 'DELETE' && !name) {
    verb = 'deletecollection';
  } else {
    const mapped = verbsByMethod[method];
    if (!mapped) throw badRequest(`unsupported method ${method}`);
    verb = mapped;
  }
  return { type: 'resource', verb, group, version, namespace, resource, name, subresource };
}

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`malformed path segment ${JSON.stringify(segment)}`);
  }
}
