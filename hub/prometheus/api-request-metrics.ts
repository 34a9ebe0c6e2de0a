// apiserver_request_total and apiserver_request_duration_seconds for one request, with
// kube-apiserver's labels: verb as it reports it (GET, LIST, WATCH, POST, PUT, PATCH, APPLY,
// DELETE, CONNECT for exec/attach/port-forward, the HTTP method for non-resource paths), API
// group, resource, subresource and the response code. Only resources the hub serves are named:
// a request for an unknown path is counted with an empty group and resource, so random URLs
// cannot grow the number of series.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLongRunning } from '../apiserver/http/request-limits.js';
import type { RequestInfo } from '../apiserver/request-info.js';
import type { HubMetrics } from './hub-metrics.js';

/** What the API handler learned of a request while serving it. */
export interface ServedRequest {
  info?: RequestInfo;
  /** The resource is one the hub serves (its name may be a label). */
  known?: boolean;
}

const connectSubresources = new Set(['exec', 'attach', 'portforward', 'proxy']);

export function requestLabels(
  method: string,
  contentType: string | undefined,
  served: ServedRequest,
): { verb: string; group: string; resource: string; subresource: string } {
  const info = served.info;
  if (!info || info.type === 'nonresource' || !served.known) {
    return { verb: method, group: '', resource: '', subresource: '' };
  }
  return {
    verb: cleanVerb(info, contentType),
    group: info.group,
    resource: info.resource,
    subresource: info.subresource ?? '',
  };
}

function cleanVerb(
  info: Extract<RequestInfo, { type: 'resource' }>,
  contentType: string | undefined,
): string {
  if (connectSubresources.has(info.subresource ?? '')) return 'CONNECT';
  switch (info.verb) {
    case 'get':
      return 'GET';
    case 'list':
      return 'LIST';
    case 'watch':
      return 'WATCH';
    case 'create':
      return 'POST';
    case 'update':
      return 'PUT';
    case 'patch':
      return contentType?.startsWith('application/apply-patch') ? 'APPLY' : 'PATCH';
    default:
      return 'DELETE';
  }
}

interface RequestSeries {
  count: { inc(): void };
  latency: { observe(seconds: number): void };
}

// prom-client finds a series by hashing its labels at each call; a request's series are found
// once per label set here instead (a few hundred sets: verbs × served resources × codes).
const seriesCache = new WeakMap<HubMetrics, Map<string, RequestSeries>>();

function seriesOf(
  metrics: HubMetrics,
  labels: ReturnType<typeof requestLabels>,
  code: string,
): RequestSeries {
  let cache = seriesCache.get(metrics);
  if (!cache) {
    cache = new Map();
    seriesCache.set(metrics, cache);
  }
  const key = `${labels.verb} ${labels.group} ${labels.resource} ${labels.subresource} ${code}`;
  let series = cache.get(key);
  if (!series) {
    series = {
      count: metrics.apiRequests.labels({ ...labels, code }),
      latency: metrics.apiDuration.labels(labels),
    };
    cache.set(key, series);
  }
  return series;
}

/** Counts a finished request; its latency only when it is not a watch or a stream. */
export function observeRequest(
  metrics: HubMetrics,
  req: IncomingMessage,
  res: ServerResponse,
  served: ServedRequest,
  startedMs: number,
): void {
  const labels = requestLabels(req.method ?? 'GET', req.headers['content-type'], served);
  const series = seriesOf(metrics, labels, String(res.statusCode));
  series.count.inc();
  if (served.info && isLongRunning(served.info)) return;
  series.latency.observe((performance.now() - startedMs) / 1000);
}

/** Marks a watch or stream as running until `done` is called (apiserver_longrunning_requests). */
export function trackLongRunning(
  metrics: HubMetrics,
  req: IncomingMessage,
  served: ServedRequest,
): () => void {
  if (!served.info || !isLongRunning(served.info)) return () => {};
  const { verb, group, resource } = requestLabels(req.method ?? 'GET', req.headers['content-type'], served);
  const labels = { verb, group, resource };
  metrics.longRunning.inc(labels);
  return () => metrics.longRunning.dec(labels);
}
