// pods/{name}/exec: PodExecOptions from the query string and the checks kube-apiserver makes
// before it hands the connection to the node (pod exists, not completed, container valid, bound
// to a node). The streaming itself needs a WebSocket upgrade (hub/apiserver/exec/); a plain
// request gets the 400 the kubelet answers without one.
import { ApiError, badRequest } from '../../../api/errors.js';
import type { ExecOptions } from '../../edge-sync/node-requests.js';
import { boolParam } from '../http/query-params.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { RequestContext } from './request-context.js';

interface PodShape {
  spec?: {
    nodeName?: string;
    containers?: Array<{ name: string }>;
    initContainers?: Array<{ name: string }>;
  };
  status?: { phase?: string };
}

export type ExecParams = Omit<ExecOptions, 'namespace' | 'pod'>;

const booleans = ['stdin', 'stdout', 'stderr', 'tty'] as const;

/** PodExecOptions (`command` repeated, `container`, the four stream flags), as kube-apiserver reads them. */
export function execParams(query: URLSearchParams): ExecParams {
  const command = query.getAll('command');
  if (command.length === 0) throw badRequest('you must specify at least 1 command');
  const params: ExecParams = { command };
  const container = query.get('container');
  if (container) params.container = container;
  for (const key of booleans) {
    const value = boolParam(query, key);
    if (value !== undefined) params[key] = value;
  }
  if (!params.stdin && !params.stdout && !params.stderr) {
    throw badRequest('you must specify at least one of stdin, stdout, stderr');
  }
  // A terminal merges stderr into stdout (kubectl sends stderr=false with -t).
  if (params.tty) params.stderr = false;
  const timeout = query.get('timeout');
  if (timeout !== null) params.timeoutSeconds = timeoutSeconds(timeout);
  return params;
}

/** client-go's `timeout` parameter (kubectl --request-timeout), a Go duration such as 5s or 1m30s. */
function timeoutSeconds(text: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw badRequest(`timeout: Invalid value: ${JSON.stringify(text)}: must be a duration such as 30s`);
  }
  for (const [, n, unit] of parts) total += Number(n) * (units[unit!] ?? 0);
  return Math.max(1, Math.ceil(total));
}

export interface ExecTarget {
  node: string;
  options: ExecOptions;
}

/** The gateway and the full exec options, or the ApiError kube-apiserver would answer. */
export async function resolveExecTarget(
  pods: ResourceStore,
  namespace: string,
  name: string,
  params: ExecParams,
): Promise<ExecTarget> {
  const pod = (await pods.get(namespace, name)) as PodShape;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  }
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  let container = params.container;
  if (container === undefined) {
    if (containers.length !== 1) {
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`,
      );
    }
    container = containers[0];
  } else if (!containers.includes(container) && !init.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  return { node, options: { ...params, container, namespace, pod: name } };
}

/** Exec without an Upgrade header: refused, as the kubelet's streaming server does. */
export async function servePodExec(ctx: RequestContext): Promise<void> {
  const params = execParams(ctx.query);
  await resolveExecTarget(ctx.resource, ctx.request.namespace!, ctx.request.name!, params);
  throw new ApiError('BadRequest', 'Upgrade request required');
}
