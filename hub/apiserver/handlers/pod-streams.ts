// pods/{name}/exec, attach and portforward: the options from the query string and the checks
// kube-apiserver makes before it hands the connection to the node (pod exists, not completed,
// container valid, bound to a node). The streaming itself needs an upgrade to WebSocket or
// SPDY (hub/apiserver/streaming/); a plain request gets the 400 the kubelet answers without one.
import { ApiError, badRequest } from '../../../api/errors.js';
import { boolParam } from '../http/query-params.js';
import type { AttachOptions, ExecOptions } from '../node-requests/node-requests.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { RequestContext } from './request-context.js';

interface PodShape {
  spec?: {
    nodeName?: string;
    containers?: Array<{ name: string }>;
    initContainers?: Array<{ name: string }>;
    ephemeralContainers?: Array<{ name: string }>;
  };
  status?: { phase?: string };
}

export type ExecParams = Omit<ExecOptions, 'namespace' | 'pod'>;
export type AttachParams = Omit<AttachOptions, 'namespace' | 'pod'>;

const booleans = ['stdin', 'stdout', 'stderr', 'tty'] as const;

/** PodExecOptions (`command` repeated, `container`, the four stream flags), as kube-apiserver reads them. */
export function execParams(query: URLSearchParams): ExecParams {
  const command = query.getAll('command');
  if (command.length === 0) throw badRequest('you must specify at least 1 command');
  const params: ExecParams = { command };
  const container = query.get('container');
  if (container) params.container = container;
  streamFlags(query, params);
  const timeout = query.get('timeout');
  if (timeout !== null) params.timeoutSeconds = timeoutSeconds(timeout);
  return params;
}

/** PodAttachOptions (`container`, the four stream flags): the container's own process. */
export function attachParams(query: URLSearchParams): AttachParams {
  const params: AttachParams = {};
  const container = query.get('container');
  if (container) params.container = container;
  streamFlags(query, params);
  return params;
}

function streamFlags(query: URLSearchParams, params: AttachParams): void {
  for (const key of booleans) {
    const value = boolParam(query, key);
    if (value !== undefined) params[key] = value;
  }
  if (!params.stdin && !params.stdout && !params.stderr) {
    throw badRequest('you must specify at least one of stdin, stdout, stderr');
  }
  // A terminal merges stderr into stdout (kubectl sends stderr=false with -t).
  if (params.tty) params.stderr = false;
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

export interface StreamTarget<T> {
  node: string;
  options: T & { namespace: string; pod: string; container: string };
}

/**
 * The gateway and the full options of an exec or attach, or the ApiError kube-apiserver would
 * answer: the pod must not have completed, the container must be one of its containers (the
 * only one when none is named), the pod must be bound to a gateway.
 */
export async function resolveContainerTarget<T extends { container?: string | undefined }>(
  pods: ResourceStore,
  namespace: string,
  name: string,
  params: T,
  verb: 'exec' | 'attach',
): Promise<StreamTarget<T>> {
  const pod = (await pods.get(namespace, name)) as PodShape;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    const into = verb === 'exec' ? 'exec into' : 'attach to';
    throw badRequest(`cannot ${into} a container in a completed pod; current phase is ${phase}`);
  }
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  let container = params.container;
  if (container === undefined) {
    if (containers.length !== 1) {
      // kube-apiserver's words, the other lists only when there are any.
      let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
      if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
      if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
      throw badRequest(message);
    }
    container = containers[0]!;
  } else if (!containers.includes(container) && !init.includes(container) && !ephemeral.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  return { node: boundNode(pod, name), options: { ...params, container, namespace, pod: name } };
}

/** The gateway of a pod whose ports are forwarded: it must be running there. */
export async function resolvePortForwardTarget(
  pods: ResourceStore,
  namespace: string,
  name: string,
): Promise<{ node: string; uid: string }> {
  const pod = (await pods.get(namespace, name)) as PodShape & { metadata?: { uid?: string } };
  const phase = pod.status?.phase;
  if (phase !== 'Running') {
    throw badRequest(
      `unable to forward port because pod is not running. Current status=${phase ?? 'Pending'}`,
    );
  }
  return { node: boundNode(pod, name), uid: pod.metadata?.uid ?? '' };
}

function boundNode(pod: PodShape, name: string): string {
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  return node;
}

/** Exec, attach or port-forward without an Upgrade header: refused, as the kubelet does. */
export async function servePodStream(
  ctx: RequestContext,
  verb: 'exec' | 'attach' | 'portforward',
): Promise<void> {
  const namespace = ctx.request.namespace!;
  const name = ctx.request.name!;
  if (verb === 'exec')
    await resolveContainerTarget(ctx.resource, namespace, name, execParams(ctx.query), verb);
  else if (verb === 'attach') {
    await resolveContainerTarget(ctx.resource, namespace, name, attachParams(ctx.query), verb);
  } else await resolvePortForwardTarget(ctx.resource, namespace, name);
  throw new ApiError('BadRequest', 'Upgrade request required');
}
