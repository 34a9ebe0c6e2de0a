// Fuzzed request targets: known and unknown groups, versions, resources and subresources, odd
// names (percent-encoding, unicode, empty and, when enabled, dot segments), every method, and
// query strings of list/watch/write parameters.
import { groupVersion } from '../../api/resources.js';
import { mutatedObject, mutationLimits, serialise } from './body-cases.js';
import type { FuzzRequest } from './fuzz-request.js';
import { escapeTarget, randomQuery } from './fuzz-request.js';
import type { FuzzSettings } from './fuzz-settings.js';
import { fuzzedResources, type LaneScope, namesFor, tame, validObject } from './object-corpus.js';
import type { Prng } from './prng.js';
import { weirdString } from './value-mutator.js';

const dotSegments = ['.', '..', '%2e', '%2E%2e', '.%2e', '%2e.', '..%2f', '%2e%2e%2f'];
const oddSegments = [
  '',
  '%',
  '%zz',
  '%00',
  '%2F',
  'a%2Fb',
  '~',
  '*',
  '%20',
  'A',
  'x'.repeat(300),
  '%C3%A9',
  '%F0%9F%9A%80',
  '%ED%A0%80',
  '%FF',
  ';',
  ':',
  '@',
];
const subresources = [
  'status',
  'scale',
  'binding',
  'eviction',
  'log',
  'exec',
  'finalize',
  'proxy',
  'attach',
  'portforward',
  'ephemeralcontainers',
  'bogus',
];
const nonResource = [
  '/',
  '/api',
  '/apis',
  '/version',
  '/healthz',
  '/livez',
  '/readyz',
  '/healthz/ping',
  '/readyz/x',
  '/openapi/v2',
  '/openapi/v3',
  '/openapi/v3/api/v1',
  '/openapi/v3/apis/apps/v1',
  '/openapi/v3/nope',
  '/api/v1',
  '/apis/apps',
  '/apis/apps/v1',
  '/apis/nope',
  '/metrics',
  '/logs',
  '/.well-known/openid-configuration',
  '/api/v2',
  '/apis/apps/v2',
  '/apis/batch/v1/',
  '//api//v1//pods',
];

function segment(rng: Prng, settings: FuzzSettings, vocabulary: string[]): string {
  const pool = settings.enabled['dot-segments'] ? [...oddSegments, ...dotSegments] : oddSegments;
  if (rng.chance(0.7)) return encodeURIComponent(rng.pick(vocabulary));
  if (rng.chance(0.5)) return rng.pick(pool);
  return escapeTarget(weirdString(rng, { maxAddedDepth: 2, maxStringLength: 300 }));
}

function resourceTarget(
  rng: Prng,
  scope: LaneScope,
  settings: FuzzSettings,
): { path: string; info?: (typeof fuzzedResources)[number]; name?: string; sub?: string } {
  const info = rng.pick(fuzzedResources);
  const gv = rng.chance(0.9)
    ? groupVersion(info)
    : rng.pick(['v2', 'apps/v2', 'nope/v1', 'batch/v1beta1', 'v1', 'apps/v1']);
  const base = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
  const watch = rng.chance(0.05) ? '/watch' : '';
  const namespaced = rng.chance(info.namespaced ? 0.85 : 0.15);
  const ns = namespaced
    ? `/namespaces/${segment(rng, settings, [scope.namespace, 'default', 'kube-system', 'no-such-ns'])}`
    : '';
  const resource = rng.chance(0.9)
    ? info.resource
    : rng.pick(['pod', 'Pods', 'po', 'deploy', 'nope', 'namespaces', '*']);
  const depth = rng.weighted({ collection: 35, named: 45, sub: 15, extra: 5 });
  let path = `${base}${watch}${ns}/${resource}`;
  let name: string | undefined;
  let sub: string | undefined;
  if (depth !== 'collection') {
    name = segment(rng, settings, namesFor(info, scope));
    path += `/${name}`;
  }
  if (depth === 'sub' || depth === 'extra') {
    sub = rng.chance(0.8) ? rng.pick(subresources) : segment(rng, settings, ['status']);
    path += `/${sub}`;
  }
  if (depth === 'extra') path += `/${segment(rng, settings, ['x', 'status'])}`;
  if (rng.chance(0.05)) path += '/';
  return { path, info, name, sub };
}

export function pathCase(rng: Prng, scope: LaneScope, settings: FuzzSettings): FuzzRequest {
  const method = rng.weighted({
    GET: 45,
    POST: 12,
    PUT: 10,
    PATCH: 10,
    DELETE: 15,
    HEAD: 3,
    OPTIONS: 3,
    TRACE: 1,
    BREW: 1,
  });
  const target = rng.chance(0.12) ? { path: rng.pick(nonResource) } : resourceTarget(rng, scope, settings);
  // Watches get their own small share: each holds a connection until it is cut.
  const watchQuery =
    method === 'GET' && rng.chance(0.03)
      ? `?watch=true&timeoutSeconds=${rng.pick(['1', '0', 'x', '-3'])}`
      : '';
  const query = watchQuery || (rng.chance(0.7) ? randomQuery(rng) : '');
  const request: FuzzRequest = {
    method,
    path: target.path + query,
    headers: {},
    note: `${method} path`,
    dryRun: false,
  };
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) && rng.chance(0.8)) {
    const limits = mutationLimits(settings);
    const info = 'info' in target && target.info ? target.info : rng.pick(fuzzedResources);
    const name = rng.pick(namesFor(info, scope));
    const body = rng.chance(0.5)
      ? validObject(info, scope, name)
      : mutatedObject(rng, info, scope, name, limits).obj;
    const encoded = serialise(
      rng,
      tame(
        method === 'PATCH' && rng.chance(0.3)
          ? [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }]
          : body,
      ),
    );
    request.body = encoded.text;
    request.headers['Content-Type'] =
      method === 'PATCH'
        ? rng.pick([
            'application/merge-patch+json',
            'application/strategic-merge-patch+json',
            'application/json-patch+json',
            encoded.contentType,
          ])
        : encoded.contentType;
    request.note += ` with ${info.kind} body (${encoded.note})`;
  }
  if (rng.chance(0.03))
    request.headers.Accept = rng.pick([
      'application/json;as=Table;v=v1;g=meta.k8s.io',
      'application/vnd.kubernetes.protobuf',
      'text/html',
      'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
      '*/*;q=0',
    ]);
  return request;
}
