// GET pods/{name}/log: the checks kube-apiserver makes (pod exists, container chosen, pod bound
// to a node), then the text streamed from the pod's gateway over MQTT as text/plain.
import { ApiError, badRequest } from '../../../api/errors.js';
import { boolParam } from '../http/query-params.js';
import { type LogsOptions, NodeRequestError } from '../node-requests/node-requests.js';
import type { RequestContext } from './request-context.js';

/** What the log handler needs from the hub's MQTT side (hub/apiserver/node-requests/node-requests.ts). */
export interface PodLogSource {
  logs(
    node: string,
    options: LogsOptions,
    onChunk: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<void>;
}

interface PodShape {
  spec?: {
    nodeName?: string;
    containers?: Array<{ name: string }>;
    initContainers?: Array<{ name: string }>;
    ephemeralContainers?: Array<{ name: string }>;
  };
}

export async function servePodLog(ctx: RequestContext): Promise<void> {
  const { request, query, res } = ctx;
  const name = request.name!;
  const params = logParams(query);
  const pod = (await ctx.resource.get(request.namespace, name)) as PodShape;
  const container = chooseContainer(name, pod, params.container);
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  if (!ctx.podLogs) {
    throw new ApiError('ServiceUnavailable', `pods/log needs the MQTT side of the hub, which is not running`);
  }

  if (ctx.req.method === 'HEAD') {
    // Headers only: asking the gateway for logs nobody reads would hold the connection.
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.end();
    return;
  }
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const startStream = () => {
    if (res.headersSent) return;
    // No Content-Length: Node sends the body chunked, as kube-apiserver does for logs.
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  };
  try {
    await ctx.podLogs.logs(
      node,
      { ...params, namespace: request.namespace!, pod: name, container },
      (text) => {
        startStream();
        res.write(text);
      },
      abort.signal,
    );
  } catch (err) {
    if (!res.headersSent) throw toApiError(err);
    // Mid-stream the status line is gone: end the body, as a dropped kubelet stream would.
  }
  startStream();
  res.end();
}

function toApiError(err: unknown): unknown {
  if (!(err instanceof NodeRequestError)) return err;
  if (err.kind === 'failed') {
    return new ApiError(/not found/.test(err.message) ? 'NotFound' : 'BadRequest', err.message);
  }
  return new ApiError('ServiceUnavailable', err.message);
}

/** The container to read, like kube-apiserver's pod log REST (pkg/registry/core/pod/strategy.go). */
function chooseContainer(name: string, pod: PodShape, wanted: string | undefined): string {
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (wanted === undefined) {
    if (containers.length === 1 && containers[0] !== undefined) return containers[0];
    const initPart = init.length > 0 ? ` or one of the init containers: [${init.join(' ')}]` : '';
    const ephemeralPart =
      ephemeral.length > 0 ? ` or one of the ephemeral containers: [${ephemeral.join(' ')}]` : '';
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}${ephemeralPart}`,
    );
  }
  if (![...containers, ...init, ...ephemeral].includes(wanted)) {
    throw badRequest(`container ${wanted} is not valid for pod ${name}`);
  }
  return wanted;
}

type LogParams = Omit<LogsOptions, 'namespace' | 'pod'>;

/** PodLogOptions from the query string; a bad value is a 400 naming the parameter. */
export function logParams(query: URLSearchParams): LogParams {
  const params: LogParams = {};
  const container = query.get('container');
  if (container) params.container = container;
  for (const key of ['follow', 'previous', 'timestamps'] as const) {
    const value = boolParam(query, key);
    if (value !== undefined) params[key] = value;
  }
  for (const [key, min] of [
    ['tailLines', 0],
    ['sinceSeconds', 1],
    ['limitBytes', 1],
  ] as const) {
    const value = query.get(key);
    if (value === null) continue;
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min) {
      throw badRequest(
        `${key}: Invalid value: ${JSON.stringify(value)}: must be an integer greater than or equal to ${min}`,
      );
    }
    params[key] = n;
  }
  if (query.has('sinceTime') && params.sinceSeconds !== undefined) {
    throw badRequest(
      'sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    );
  }
  return params;
}
