// Turns a request path and method into what is being asked for, after the shape of
// kube-apiserver's RequestInfoFactory: /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}.
// `path` is the raw path (http/request-target.ts): segments are decoded here, one by one, so an
// encoded `/` or `.` can never change which object a request addresses.
import { badRequest, notServed } from '../../api/errors.js';
import { pathSegmentNameProblems } from '../../api/validation/name-formats.js';
import { boolParam } from './http/query-params.js';
import { decodeSegment, isTraversalSegment } from './http/request-target.js';

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
  const info = resourceRequest(method, parts, query);
  if (info === undefined) {
    if (parts.some(isTraversalSegment)) throw notServed();
    return { type: 'nonresource', path };
  }
  // kube's storage key functions refuse such names (path.IsValidPathSegmentName), with a 400.
  if (info.name !== undefined) {
    const problems = pathSegmentNameProblems(info.name);
    if (problems.length > 0) {
      throw badRequest(`Name parameter invalid: ${JSON.stringify(info.name)}: ${problems.join(';')}`);
    }
  }
  // Anywhere else (group, version, namespace, resource, subresource) no route matches.
  if (parts.some(isTraversalSegment)) throw notServed();
  return info;
}

function resourceRequest(
  method: string,
  parts: string[],
  query: URLSearchParams,
): ResourceRequest | undefined {
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
    return undefined;
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
  if (!resource || extra.length > 0) return undefined;

  method = method.toUpperCase();
  let verb: Verb;
  if (method === 'GET' || method === 'HEAD') {
    const watch = watchPath || (boolParam(query, 'watch') ?? false);
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
