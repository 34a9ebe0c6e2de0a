// One fuzzed HTTP request, as generated (before it is sent), and the parts generators share:
// the resource path of an object and random query strings.
import { groupVersion, type ResourceInfo } from '../../api/resources.js';
import type { Prng } from './prng.js';
import { weirdString } from './value-mutator.js';

export interface FuzzRequest {
  method: string;
  /** The raw request target, sent as is (never normalised by a URL parser). */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer | undefined;
  /** What the generator did, for the failure report. */
  note: string;
  /** The object the request writes, when it addresses one by name (read-back oracles). */
  target?:
    | { info: ResourceInfo; namespace: string | undefined; name: string; subresource?: string }
    | undefined;
  dryRun: boolean;
}

export function resourcePath(
  info: ResourceInfo,
  namespace: string | undefined,
  name?: string,
  sub?: string,
): string {
  const base = info.group ? `/apis/${groupVersion(info)}` : `/api/${info.version}`;
  const ns = info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const named = name !== undefined ? `/${encodeURIComponent(name)}` : '';
  return `${base}${ns}/${info.resource}${named}${sub ? `/${sub}` : ''}`;
}

/** Percent-encodes what may not appear raw in a request target (Node refuses it unescaped). */
export function escapeTarget(text: string): string {
  return escapeExcept(text, /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu);
}

/** encodeURIComponent that also takes lone surrogates (which it throws on). */
export function escapeComponent(text: string): string {
  return escapeExcept(text, /[^A-Za-z0-9\-._~!'()*]/gu);
}

function escapeExcept(text: string, pattern: RegExp): string {
  return text.replace(pattern, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      return '%ED%A0%80'; // a lone surrogate: the bytes a sloppy UTF-8 encoder would send
    }
  });
}

const selectors = [
  'app=web',
  'app!=web',
  'app in (web,db)',
  'app notin (web)',
  '!app',
  'app',
  'tier=frontend,app=web',
  'app==web',
  'app=',
  '=web',
  'app in web',
  'app in (',
  '(((',
  'a'.repeat(300),
  'app=web,,',
  'x/y/z=1',
  'app=we b',
];
const fieldSelectors = [
  'metadata.name=web',
  'metadata.namespace=default',
  'spec.nodeName=gw-1',
  'status.phase=Running',
  'metadata.name!=x',
  'spec.unknown=1',
  'metadata.name',
  'metadata.name==a,metadata.namespace!=b',
  '=',
  'involvedObject.name=web',
  'type=Normal',
];

/** A query string of list/watch/write parameters, valid and invalid values mixed. */
export function randomQuery(rng: Prng): string {
  const params: [string, string][] = [];
  const values: Record<string, () => string> = {
    labelSelector: () => rng.pick(selectors),
    fieldSelector: () => rng.pick(fieldSelectors),
    resourceVersion: () => rng.pick(['0', '1', '', '-1', 'abc', '99999999999', '1.5', String(rng.int(1000))]),
    resourceVersionMatch: () => rng.pick(['NotOlderThan', 'Exact', 'bogus', '']),
    limit: () => rng.pick(['0', '1', '2', '500', '-1', 'ten', '1e3', '9999999999999999999']),
    continue: () =>
      rng.pick(['', 'abc', 'eyJ2IjoxfQ', '%zz', weirdString(rng, { maxAddedDepth: 2, maxStringLength: 64 })]),
    timeoutSeconds: () => rng.pick(['0', '1', '-1', '2147483648', 'x', '1.5']),
    watch: () => rng.pick(['false', '0', 'False', 'yes', '']),
    allowWatchBookmarks: () => rng.pick(['true', 'false', 'maybe']),
    sendInitialEvents: () => rng.pick(['true', 'false', 'x']),
    dryRun: () => rng.pick(['All', 'all', 'None', '', 'true']),
    fieldManager: () => rng.pick(['kubectl', '', 'm'.repeat(200), '\u00e9']),
    fieldValidation: () => rng.pick(['Strict', 'Warn', 'Ignore', 'bogus']),
    propagationPolicy: () => rng.pick(['Background', 'Foreground', 'Orphan', 'Sideways', '']),
    gracePeriodSeconds: () => rng.pick(['0', '30', '-5', 'x', '1.5']),
    orphanDependents: () => rng.pick(['true', 'false', 'x']),
    pretty: () => rng.pick(['true', '1', 'x']),
    force: () => rng.pick(['true', 'x']),
    container: () => rng.pick(['app', 'nope', '']),
    follow: () => rng.pick(['false', 'x']),
    tailLines: () => rng.pick(['1', '-1', 'x']),
    [weirdString(rng, { maxAddedDepth: 2, maxStringLength: 40 })]: () => 'x',
  };
  const keys = Object.keys(values);
  const n = rng.int(4);
  for (let i = 0; i < n; i++) {
    const key = rng.pick(keys);
    params.push([key, values[key]!()]);
  }
  if (params.length === 0) return '';
  const encoded = params.map(([k, v]) =>
    rng.chance(0.05)
      ? `${escapeTarget(k)}=${escapeTarget(v)}%`
      : `${escapeComponent(k)}=${escapeComponent(v)}`,
  );
  return `?${encoded.join('&')}`;
}
